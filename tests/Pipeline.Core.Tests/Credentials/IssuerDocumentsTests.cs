using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Credentials;
using Pipeline.Core.Tests.TestData;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Credentials;

public sealed class IssuerDocumentsTests
{
    [Fact]
    public void Issuer_profile_validates_against_the_shared_profile_schema()
    {
        var profile = IssuerDocuments.IssuerProfile(CredentialTestData.Issuer(), new Uri("https://badges.example.edu/issuers/engineering/image.png"));
        Assert.Empty(CredentialTestData.SchemaErrors("ob_v3p0_profile_schema.json", profile));
        Assert.Equal("https://badges.example.edu/issuers/engineering", (string?)profile["id"]);
        Assert.Equal("@context", profile.First().Key);
    }

    [Fact]
    public void Achievement_document_is_the_embedded_achievement_with_a_context()
    {
        var issuer = CredentialTestData.Issuer();
        var request = CredentialTestData.Request(CredentialTestData.Certificate());
        var document = IssuerDocuments.Achievement(request.Achievement, issuer, request.AchievementImage);
        var embedded = OpenBadgeCredentialBuilder.Build(request)["credentialSubject"]!["achievement"]!;
        document.Remove("@context");
        Assert.True(JsonNode.DeepEquals(embedded, document));
    }

    [Fact]
    public async Task Jwks_documents_carry_the_header_kid_and_the_all_issuers_set_names_the_issuer()
    {
        using var signer = CredentialTestData.Signer();
        var issuer = CredentialTestData.Issuer();
        var key = await signer.GetPublicKeyAsync(issuer.Key, CancellationToken.None);
        var jwk = IssuerDocuments.IssuerJwks(issuer, key)["keys"]![0]!;
        Assert.Equal(VcJwt.KeyId(issuer), (string?)jwk["kid"]);
        Assert.Null(jwk["d"]);
        var all = IssuerDocuments.AllIssuersJwks([new IssuerDocuments.IssuerKey(issuer, key)])["keys"]![0]!;
        Assert.Equal("https://badges.example.edu/issuers/engineering", (string?)all["iss"]);
        var resolver = new JwksKeyResolver(IssuerDocuments.AllIssuersJwks([new IssuerDocuments.IssuerKey(issuer, key)]));
        Assert.Single(await resolver.ResolveAsync(VcJwt.KeyId(issuer), "https://badges.example.edu/issuers/engineering", CancellationToken.None));
        Assert.Empty(await resolver.ResolveAsync(VcJwt.KeyId(issuer), "https://evil.example/issuers/engineering", CancellationToken.None));
    }

    [Fact]
    public async Task Did_document_has_a_JsonWebKey_method_used_for_assertion()
    {
        using var signer = CredentialTestData.Signer();
        var issuer = CredentialTestData.Issuer();
        var did = IssuerDocuments.DidDocument(issuer, await signer.GetPublicKeyAsync(issuer.Key, CancellationToken.None));
        Assert.Equal("did:web:badges.example.edu:issuers:engineering", (string?)did["id"]);
        var method = did["verificationMethod"]![0]!;
        Assert.Equal("did:web:badges.example.edu:issuers:engineering#test-rs256", (string?)method["id"]);
        Assert.Equal("JsonWebKey", (string?)method["type"]);
        Assert.Equal("RSA", (string?)method["publicKeyJwk"]!["kty"]);
        Assert.Null(method["publicKeyJwk"]!["d"]);
        Assert.Equal((string?)method["id"], (string?)did["assertionMethod"]![0]);
    }

    [Fact]
    public async Task Header_jwk_form_also_verifies_our_credentials_because_the_issuer_publishes_that_key()
    {
        using var signer = CredentialTestData.Signer();
        var issuer = CredentialTestData.Issuer();
        var key = await signer.GetPublicKeyAsync(issuer.Key, CancellationToken.None);
        var jwk = JwkJsonFor(key);
        var claims = VcJwt.ToClaims(OpenBadgeCredentialBuilder.Build(CredentialTestData.Request(CredentialTestData.SimpleBadge())));
        var jwt = await new VcJwt(signer).SignPayloadAsync(claims, issuer, CancellationToken.None);
        var parts = jwt.Split('.');
        var header = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["alg"] = "RS256", ["jwk"] = jwk }.ToJsonString()));
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(header + "." + parts[1]));
        var signature = await signer.SignDigestAsync(issuer.Key, digest, CancellationToken.None);
        var published = new JwksKeyResolver(IssuerDocuments.AllIssuersJwks([new IssuerDocuments.IssuerKey(issuer, key)]));
        var verifier = new CredentialVerifier(published, new FakeTimeProvider(CredentialTestData.Now));
        var result = await verifier.VerifyAsync(header + "." + parts[1] + "." + System.Buffers.Text.Base64Url.EncodeToString(signature), null, CancellationToken.None);
        Assert.True(result.IsValid, string.Join("\n", result.Checks));
        Assert.Contains("publishes that same key", result.Find(CheckCodes.JwtKey)!.Message, StringComparison.Ordinal);
    }

    private static JsonObject JwkJsonFor(Pipeline.Core.Signing.PublicJwk key) => Pipeline.Core.Signing.JwkJson.ToJson(key);
}
