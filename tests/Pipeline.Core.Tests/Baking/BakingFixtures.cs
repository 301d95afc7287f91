using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Baking;

internal static class BakingFixtures
{
    public static byte[] Read(params string[] parts) => File.ReadAllBytes(RepositoryPaths.Standard(parts));

    public static string ReadText(params string[] parts) => File.ReadAllText(RepositoryPaths.Standard(parts));

    public const string SampleJwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2JhZGdlcy5leGFtcGxlLmVkdS9pc3N1ZXJzL2EifQ.c2lnbmF0dXJl";

    public const string SampleJson = """{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","name":"Résumé ✓ 学位"}""";
}
