using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Repository;

/// <summary>standards/MANIFEST.json accounts for every third-party data file: its bytes, its source, its licence text.</summary>
public sealed class StandardsManifestTests
{
    /// <summary>The files of the folder that describe the data rather than being data.</summary>
    private static readonly string[] NotData = ["MANIFEST.json", "NOTICE.md"];

    private static JsonObject Manifest() =>
        JsonNode.Parse(File.ReadAllText(RepositoryPaths.Standard("MANIFEST.json")))!.AsObject();

    private static IEnumerable<JsonObject> Entries() => Manifest()["files"]!.AsArray().Select(e => e!.AsObject());

    public static TheoryData<string> ListedFiles() => [.. Entries().Select(e => (string)e["path"]!)];

    [Theory]
    [MemberData(nameof(ListedFiles))]
    public void Listed_file_has_the_recorded_sha256_and_a_source(string path)
    {
        var entry = Entries().Single(e => (string)e["path"]! == path);
        var file = RepositoryPaths.Standard(path.Split('/'));
        Assert.True(File.Exists(file), $"standards/{path} is in MANIFEST.json but not in the folder.");
        Assert.Equal((string)entry["sha256"]!, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))));
        Assert.False(string.IsNullOrWhiteSpace((string?)entry["repo"]), $"standards/{path}: no source repository");
        Assert.False(string.IsNullOrWhiteSpace((string?)entry["src"]), $"standards/{path}: no path in the source");
    }

    [Fact]
    public void Every_file_in_the_folder_is_listed_once()
    {
        var listed = Entries().Select(e => (string)e["path"]!).ToList();
        var present = Directory.EnumerateFiles(RepositoryPaths.Standards, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryPaths.Standards, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !NotData.Contains(f, StringComparer.Ordinal) && !f.StartsWith("LICENSES/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(present, listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_licence_named_has_its_text_in_the_folder()
    {
        var licenceFiles = Manifest()["licenseFiles"]!.AsObject();
        Assert.All(Entries(), e => Assert.True(licenceFiles.ContainsKey((string)e["license"]!), $"standards/{e["path"]}: licence \"{e["license"]}\" has no entry in licenseFiles"));
        Assert.All(licenceFiles, l => Assert.True(File.Exists(RepositoryPaths.Standard(((string)l.Value!).Split('/'))), $"licence text {l.Value} is missing"));
    }
}
