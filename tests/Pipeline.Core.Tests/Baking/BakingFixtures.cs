using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Baking;

internal static class BakingFixtures
{
    public static byte[] Read(params string[] parts) => File.ReadAllBytes(RepositoryPaths.Standard(parts));

    public static string ReadText(params string[] parts) => File.ReadAllText(RepositoryPaths.Standard(parts));

    private static readonly JsonSerializerOptions Raw = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON object carrying <paramref name="text"/> unescaped where JSON allows (non-ASCII stays raw).</summary>
    public static string JsonCarrying(string text) => JsonSerializer.Serialize(new { text }, Raw);

    public const string SampleJwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2JhZGdlcy5leGFtcGxlLmVkdS9pc3N1ZXJzL2EifQ.c2lnbmF0dXJl";

    public const string SampleJson = """{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","name":"Résumé ✓ 学位"}""";
}
