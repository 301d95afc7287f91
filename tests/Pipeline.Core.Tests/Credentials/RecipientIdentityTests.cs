using System.Text.Json.Nodes;
using Pipeline.Core.Credentials;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Credentials;

public sealed class RecipientIdentityTests
{
    public static TheoryData<string, string?, string> Vectors()
    {
        var data = new TheoryData<string, string?, string>();
        var file = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Standard("ob3", "test-vectors", "identity-hash.json")))!;
        foreach (var vector in file["vectors"]!.AsArray())
        {
            data.Add((string)vector!["identifier"]!, (string?)vector["salt"], (string)vector["identityHash"]!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void IdentityHash_matches_the_shared_vectors(string identifier, string? salt, string expected)
    {
        Assert.Equal(expected, RecipientIdentity.IdentityHash(identifier, salt));
        Assert.True(RecipientIdentity.MatchesEmail(expected.ToUpperInvariant().Replace("SHA256$", "sha256$", StringComparison.Ordinal), salt, identifier));
    }

    [Fact]
    public void Email_is_trimmed_and_lower_cased_before_hashing()
    {
        var identity = RecipientIdentity.EmailIdentityObject("  A@Example.COM ", "Kosher");
        Assert.Equal("sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399", (string?)identity["identityHash"]);
        Assert.Equal(
            """{"type":"IdentityObject","hashed":true,"identityHash":"sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399","identityType":"emailAddress","salt":"Kosher"}""",
            identity.ToJsonString());
    }

    [Fact]
    public void CreateSalt_is_16_random_bytes_in_hex()
    {
        var first = RecipientIdentity.CreateSalt();
        Assert.Matches("^[0-9a-f]{32}$", first);
        Assert.NotEqual(first, RecipientIdentity.CreateSalt());
    }

    [Fact]
    public void SubjectId_is_stable_per_issuer_and_reveals_nothing()
    {
        var secret = CredentialTestData.SubjectSecret;
        var id = RecipientIdentity.SubjectId("engineering", "S1001", secret);
        Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
        Assert.Equal(id, RecipientIdentity.SubjectId("engineering", "S1001", secret));
        Assert.NotEqual(id, RecipientIdentity.SubjectId("business", "S1001", secret));
        Assert.NotEqual(id, RecipientIdentity.SubjectId("engineering", "S1002", secret));
        Assert.NotEqual(id, RecipientIdentity.SubjectId("engineering", "S1001", new byte[32]));
        Assert.DoesNotContain("S1001", id, StringComparison.OrdinalIgnoreCase);
    }
}
