using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Signing;
using Pipeline.Core.Tests.TestData;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Credentials;

public sealed class VcJwtTests
{
    private static JsonObject Part(string jwt, int index) => JsonNode.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(jwt.Split('.')[index])))!.AsObject();

    [Fact]
    public async Task Header_is_exactly_alg_kid_typ()
    {
        using var signer = CredentialTestData.Signer();
        var issuer = CredentialTestData.Issuer();
        var jwt = await new VcJwt(signer).SignCredentialAsync(OpenBadgeCredentialBuilder.Build(CredentialTestData.Request(CredentialTestData.SimpleBadge())), issuer, CancellationToken.None);
        Assert.Equal("""{"alg":"RS256","kid":"https://badges.example.edu/issuers/engineering/jwks.json#test-rs256","typ":"JWT"}""", Part(jwt, 0).ToJsonString());
    }

    [Fact]
    public async Task Payload_is_the_credential_plus_iss_jti_nbf_sub_exp()
    {
        using var signer = CredentialTestData.Signer();
        var credential = OpenBadgeCredentialBuilder.Build(CredentialTestData.Request(CredentialTestData.Certificate()));
        var payload = Part(await new VcJwt(signer).SignCredentialAsync(credential, CredentialTestData.Issuer(), CancellationToken.None), 1);
        Assert.Equal((string?)credential["issuer"]!["id"], (string?)payload["iss"]);
        Assert.Equal((string?)credential["id"], (string?)payload["jti"]);
        Assert.Equal((string?)credential["credentialSubject"]!["id"], (string?)payload["sub"]);
        Assert.Equal(CredentialTestData.ValidFrom.ToUnixTimeSeconds(), (long)payload["nbf"]!);
        Assert.Equal(new DateTimeOffset(2028, 1, 14, 16, 30, 0, TimeSpan.Zero).ToUnixTimeSeconds(), (long)payload["exp"]!);
        foreach (var claim in new[] { "iss", "jti", "nbf", "sub", "exp" })
        {
            payload.Remove(claim);
        }
        Assert.True(JsonNode.DeepEquals(credential, payload));
        Assert.False(credential.ContainsKey("iss"));
    }

    [Fact]
    public async Task Credential_without_validUntil_has_no_exp()
    {
        using var signer = CredentialTestData.Signer();
        var credential = OpenBadgeCredentialBuilder.Build(CredentialTestData.Request(CredentialTestData.SimpleBadge()));
        var payload = Part(await new VcJwt(signer).SignCredentialAsync(credential, CredentialTestData.Issuer(), CancellationToken.None), 1);
        Assert.False(payload.ContainsKey("exp"));
    }

    [Fact]
    public async Task Generic_credential_such_as_a_status_list_is_signed_with_claims_from_its_own_members()
    {
        using var signer = CredentialTestData.Signer();
        var issuer = CredentialTestData.Issuer();
        var list = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
            ["id"] = "https://badges.example.edu/status/engineering/1",
            ["type"] = new JsonArray("VerifiableCredential", "BitstringStatusListCredential"),
            ["issuer"] = "https://badges.example.edu/issuers/engineering",
            ["validFrom"] = "2026-01-15T10:00:00Z",
            ["credentialSubject"] = new JsonObject { ["id"] = "https://badges.example.edu/status/engineering/1#list", ["type"] = "BitstringStatusList" },
        };
        var jwt = await new VcJwt(signer).SignCredentialAsync(list, issuer, CancellationToken.None);
        var payload = Part(jwt, 1);
        Assert.Equal("https://badges.example.edu/issuers/engineering", (string?)payload["iss"]);
        Assert.Equal("https://badges.example.edu/status/engineering/1#list", (string?)payload["sub"]);
        var handlerCheck = await new CredentialVerifier(
            new JwksKeyResolver(IssuerDocuments.IssuerJwks(issuer, await signer.GetPublicKeyAsync(issuer.Key, CancellationToken.None)), publisher: issuer.Urls.Issuer(issuer.Id).AbsoluteUri),
            new FakeTimeProvider(CredentialTestData.Now)).VerifyAsync(jwt, null, CancellationToken.None);
        Assert.Equal(CheckOutcome.Passed, handlerCheck.Find(CheckCodes.JwtSignature)!.Outcome);
    }

    [Fact]
    public async Task Credential_without_a_subject_id_cannot_be_signed()
    {
        using var signer = CredentialTestData.Signer();
        var credential = OpenBadgeCredentialBuilder.Build(CredentialTestData.Request(CredentialTestData.SimpleBadge()));
        credential["credentialSubject"]!.AsObject().Remove("id");
        await Assert.ThrowsAsync<ArgumentException>(() => new VcJwt(signer).SignCredentialAsync(credential, CredentialTestData.Issuer(), CancellationToken.None));
    }

    [Theory]
    [InlineData(SigningAlgorithm.RS256)]
    [InlineData(SigningAlgorithm.ES256)]
    public async Task Signed_credentials_verify_against_the_issuer_jwks(SigningAlgorithm algorithm)
    {
        using var signer = CredentialTestData.Signer();
        var issuer = CredentialTestData.Issuer(algorithm);
        var resolver = new JwksKeyResolver(IssuerDocuments.AllIssuersJwks([new IssuerDocuments.IssuerKey(issuer, await signer.GetPublicKeyAsync(issuer.Key, CancellationToken.None))]));
        var verifier = new CredentialVerifier(resolver, new FakeTimeProvider(CredentialTestData.Now));
        foreach (var achievement in CredentialTestData.Achievements())
        {
            var jwt = await new VcJwt(signer).SignCredentialAsync(OpenBadgeCredentialBuilder.Build(CredentialTestData.Request(achievement, issuer)), issuer, CancellationToken.None);
            var result = await verifier.VerifyAsync(jwt, new VerificationOptions { RecipientEmail = "ana.lopez@example.edu" }, CancellationToken.None);
            Assert.True(result.IsValid, string.Join("\n", result.Checks));
            Assert.Equal(CheckOutcome.Passed, result.Find(CheckCodes.Recipient)!.Outcome);
        }
    }
}
