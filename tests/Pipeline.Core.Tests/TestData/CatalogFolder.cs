namespace Pipeline.Core.Tests.TestData;

/// <summary>A catalog folder written by a test into a fresh temporary directory, deleted on dispose.</summary>
internal sealed class CatalogFolder : IDisposable
{
    public CatalogFolder()
    {
        Path = Directory.CreateTempSubdirectory("catalog-test-").FullName;
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "issuers"));
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "achievements"));
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "images"));
    }

    public string Path { get; }

    public CatalogFolder Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    /// <summary>Placeholder art files (the loader checks they exist, not what they hold).</summary>
    public CatalogFolder Images(params string[] names)
    {
        foreach (var name in names)
        {
            Write($"images/{name}.png", "png");
            Write($"images/{name}.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        }
        return this;
    }

    public static string Issuer(string id, string key = """{"name": "k1", "algorithm": "RS256"}""", string url = "https://www.example.edu/") => $$"""
        {
          "id": "{{id}}",
          "name": "Example University",
          "url": "{{url}}",
          "email": "badges@example.edu",
          "publicBaseUrl": "https://badges.example.edu/"{{(key.Length > 0 ? ",\n  \"key\": " + key : string.Empty)}}
        }
        """;

    public static string Achievement(string id, string rule, string issuer = "example", string criteriaUrl = "https://www.example.edu/criteria", string image = "") => $$"""
        {
          "id": "{{id}}",
          "issuer": "{{issuer}}",
          "name": "Badge {{id}}",
          "description": "A test badge.",
          "criteria": { "narrative": "Do it.", "url": "{{criteriaUrl}}" },
          "image": { "png": "images/{{(image.Length > 0 ? image : id)}}.png", "svg": "images/{{(image.Length > 0 ? image : id)}}.svg" },
          "rule": {{rule}}
        }
        """;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
