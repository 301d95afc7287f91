using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Signing;
using Pipeline.Core.Tests.TestData;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Credentials.Verification;

public sealed class CredentialVerifierTests
{
    private static async Task<(CredentialVerifier Verifier, JsonObject Jwks)> CreateSut(DateTimeOffset? now = null, ICredentialStatusChecker? status = null)
    {
        using var signer = CredentialTestData.Signer();
        var issuer = CredentialTestData.Issuer();
        var jwks = IssuerDocuments.IssuerJwks(issuer, await signer.GetPublicKeyAsync(issuer.Key, CancellationToken.None));
        return (new CredentialVerifier(new JwksKeyResolver(jwks, publisher: issuer.Urls.Issuer(issuer.Id).AbsoluteUri), new FakeTimeProvider(now ?? CredentialTestData.Now), status), jwks);
    }

    private static async Task<string> Sign(JsonObject credential, Issuer? issuer = null)
    {
        using var signer = CredentialTestData.Signer();
        return await new VcJwt(signer).SignCredentialAsync(credential, issuer ?? CredentialTestData.Issuer(), CancellationToken.None);
    }

    private static JsonObject Certificate() => OpenBadgeCredentialBuilder.Build(CredentialTestData.Request(CredentialTestData.Certificate()));

    private static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static void AssertFailed(VerificationResult result, string code)
    {
        Assert.False(result.IsValid);
        Assert.True(result.Find(code) is { Outcome: CheckOutcome.Failed }, $"Expected {code} to fail:\n{string.Join("\n", result.Checks)}");
    }

    [Fact]
    public async Task Good_credential_passes_every_check()
    {
        var (verifier, _) = await CreateSut();
        var result = await verifier.VerifyAsync(await Sign(Certificate()), null, CancellationToken.None);
        Assert.True(result.IsValid, string.Join("\n", result.Checks));
        Assert.Equal(
            [CheckCodes.JwtFormat, CheckCodes.JwtAlgorithm, CheckCodes.JwtKey, CheckCodes.JwtSignature, CheckCodes.JwtIss, CheckCodes.JwtJti,
             CheckCodes.JwtSub, CheckCodes.JwtNbf, CheckCodes.JwtExp, CheckCodes.Schema, CheckCodes.SubjectIdentity, CheckCodes.ValidFrom,
             CheckCodes.ValidUntil, CheckCodes.Status],
            result.Checks.Select(c => c.Code));
        Assert.Equal(CheckOutcome.Skipped, result.Find(CheckCodes.Status)!.Outcome);
    }

    [Fact]
    public async Task Signed_by_another_key_fails_the_signature()
    {
        var (verifier, _) = await CreateSut();
        var other = CredentialTestData.Issuer() with { Key = new SigningKeyReference("other-rs256", SigningAlgorithm.RS256) };
        var jwt = await Sign(Certificate(), other);
        var parts = jwt.Split('.');
        var header = B64($$"""{"alg":"RS256","kid":"https://badges.example.edu/issuers/engineering/jwks.json#test-rs256","typ":"JWT"}""");
        using var signer = CredentialTestData.Signer();
        var signature = await signer.SignDigestAsync(other.Key, SHA256.HashData(Encoding.ASCII.GetBytes(header + "." + parts[1])), CancellationToken.None);
        var forged = header + "." + parts[1] + "." + Base64Url.EncodeToString(signature);
        AssertFailed(await verifier.VerifyAsync(forged, null, CancellationToken.None), CheckCodes.JwtSignature);
        AssertFailed(await verifier.VerifyAsync(jwt, null, CancellationToken.None), CheckCodes.JwtKey);
    }

    [Fact]
    public async Task Payload_with_a_member_named_twice_is_rejected_not_thrown()
    {
        // Found by fuzzing (tests/Pipeline.Fuzz, target jwt): JsonObject threw ArgumentException on first access.
        var (verifier, _) = await CreateSut();
        var token = B64("""{"alg":"RS256","typ":"JWT"}""") + "."
            + B64("""{"vc":{"id":"http://example.edu/credentials/3732","issuanceDate":"2110-01-01T00:00Z","e":"","e":"AQAB"}}""") + ".c2ln";

        var result = await verifier.VerifyAsync(token, null, CancellationToken.None);

        AssertFailed(result, CheckCodes.JwtFormat);
    }

    [Fact]
    public async Task Alg_none_is_rejected()
    {
        var (verifier, _) = await CreateSut();
        var payload = (await Sign(Certificate())).Split('.')[1];
        var result = await verifier.VerifyAsync(B64("""{"alg":"none","typ":"JWT"}""") + "." + payload + ".", null, CancellationToken.None);
        AssertFailed(result, CheckCodes.JwtAlgorithm);
    }

    [Fact]
    public async Task HS256_signed_with_the_public_key_bytes_is_rejected()
    {
        var (verifier, jwks) = await CreateSut();
        var payload = (await Sign(Certificate())).Split('.')[1];
        var header = B64("""{"alg":"HS256","kid":"https://badges.example.edu/issuers/engineering/jwks.json#test-rs256","typ":"JWT"}""");
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(jwks.ToJsonString()), Encoding.ASCII.GetBytes(header + "." + payload));
        var result = await verifier.VerifyAsync(header + "." + payload + "." + Base64Url.EncodeToString(mac), null, CancellationToken.None);
        AssertFailed(result, CheckCodes.JwtAlgorithm);
        Assert.Null(result.Find(CheckCodes.JwtSignature));
    }

    [Fact]
    public async Task Expired_credential_fails_valid_until()
    {
        var (verifier, _) = await CreateSut(new DateTimeOffset(2028, 1, 14, 16, 30, 1, TimeSpan.Zero));
        var result = await verifier.VerifyAsync(await Sign(Certificate()), null, CancellationToken.None);
        AssertFailed(result, CheckCodes.ValidUntil);
        Assert.Equal(CheckOutcome.Passed, result.Find(CheckCodes.JwtSignature)!.Outcome);
    }

    [Fact]
    public async Task Credential_before_its_validFrom_fails_valid_from()
    {
        var (verifier, _) = await CreateSut(CredentialTestData.ValidFrom.AddSeconds(-1));
        AssertFailed(await verifier.VerifyAsync(await Sign(Certificate()), null, CancellationToken.None), CheckCodes.ValidFrom);
    }

    [Fact]
    public async Task Schema_invalid_credential_fails_the_schema_check()
    {
        var (verifier, _) = await CreateSut();
        var credential = Certificate();
        credential["type"] = new JsonArray("VerifiableCredential");
        credential["image"]!["extra"] = "not allowed";
        var result = await verifier.VerifyAsync(await Sign(credential), null, CancellationToken.None);
        AssertFailed(result, CheckCodes.Schema);
        Assert.Contains("/image", result.Find(CheckCodes.Schema)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sub_that_differs_from_the_subject_id_fails()
    {
        var (verifier, _) = await CreateSut();
        using var signer = CredentialTestData.Signer();
        var claims = VcJwt.ToClaims(Certificate());
        claims["sub"] = "urn:uuid:00000000-0000-8000-8000-000000000000";
        var jwt = await new VcJwt(signer).SignPayloadAsync(claims, CredentialTestData.Issuer(), CancellationToken.None);
        var result = await verifier.VerifyAsync(jwt, null, CancellationToken.None);
        AssertFailed(result, CheckCodes.JwtSub);
        Assert.Equal(CheckOutcome.Passed, result.Find(CheckCodes.JwtSignature)!.Outcome);
    }

    [Fact]
    public async Task Exp_or_nbf_that_differs_from_the_json_dates_fails()
    {
        var (verifier, _) = await CreateSut();
        using var signer = CredentialTestData.Signer();
        var claims = VcJwt.ToClaims(Certificate());
        claims["nbf"] = (long)claims["nbf"]! + 1;
        claims.Remove("exp");
        var result = await verifier.VerifyAsync(await new VcJwt(signer).SignPayloadAsync(claims, CredentialTestData.Issuer(), CancellationToken.None), null, CancellationToken.None);
        AssertFailed(result, CheckCodes.JwtNbf);
        AssertFailed(result, CheckCodes.JwtExp);
    }

    [Fact]
    public async Task Subject_without_id_or_identifier_fails()
    {
        var (verifier, _) = await CreateSut();
        var credential = Certificate();
        credential["credentialSubject"]!.AsObject().Remove("identifier");
        credential["credentialSubject"]!.AsObject().Remove("id");
        var result = await verifier.VerifyAsync(credential.ToJsonString(), null, CancellationToken.None);
        AssertFailed(result, CheckCodes.SubjectIdentity);
    }

    [Fact]
    public async Task Garbage_is_reported_as_a_format_failure_not_an_exception()
    {
        var (verifier, _) = await CreateSut();
        AssertFailed(await verifier.VerifyAsync("not.a.jwt", null, CancellationToken.None), CheckCodes.JwtFormat);
        AssertFailed(await verifier.VerifyAsync("{ broken", null, CancellationToken.None), CheckCodes.JsonFormat);
    }

    [Fact]
    public async Task Unsigned_json_credential_fails_the_proof_check()
    {
        var (verifier, _) = await CreateSut();
        var result = await verifier.VerifyAsync(Certificate().ToJsonString(), null, CancellationToken.None);
        AssertFailed(result, CheckCodes.Proof);
        Assert.Equal(CheckOutcome.Passed, result.Find(CheckCodes.Schema)!.Outcome);
    }

    [Fact]
    public async Task Wrong_recipient_email_fails_the_recipient_check()
    {
        var (verifier, _) = await CreateSut();
        var result = await verifier.VerifyAsync(await Sign(Certificate()), new VerificationOptions { RecipientEmail = "someone@example.edu" }, CancellationToken.None);
        AssertFailed(result, CheckCodes.Recipient);
    }

    [Fact]
    public async Task Revoked_status_fails_and_the_checker_receives_the_entry()
    {
        var checker = new RecordingStatusChecker(new CredentialStatusCheck(false, "Revoked."));
        var (verifier, _) = await CreateSut(status: checker);
        var result = await verifier.VerifyAsync(await Sign(Certificate()), null, CancellationToken.None);
        AssertFailed(result, CheckCodes.Status);
        Assert.Equal("94567", (string?)checker.Seen!["statusListIndex"]);
    }

    private sealed class RecordingStatusChecker(CredentialStatusCheck answer) : ICredentialStatusChecker
    {
        public JsonNode? Seen { get; private set; }

        public ValueTask<CredentialStatusCheck> CheckAsync(JsonNode credentialStatus, CancellationToken cancellationToken)
        {
            Seen = credentialStatus;
            return ValueTask.FromResult(answer);
        }
    }
}
