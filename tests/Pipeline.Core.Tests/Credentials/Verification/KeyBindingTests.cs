using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Signing;
using Pipeline.Core.Tests.TestData;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Credentials.Verification;

/// <summary>
/// Issue 21: a signature counts only with a key the issuer the credential names publishes. The verifier over our
/// all-issuers JWK Set (two issuers), against a genuine credential and the attacker's re-signed copies of it.
/// </summary>
public sealed class KeyBindingTests
{
    private const string IssuerUrl = "https://badges.example.edu/issuers/engineering";

    private static readonly Issuer Engineering = CredentialTestData.Issuer();

    /// <summary>A second issuer of ours, with a key of its own.</summary>
    private static readonly Issuer Nursing = CredentialTestData.Issuer() with
    {
        Id = "nursing",
        Name = "School of Nursing",
        Key = new SigningKeyReference("other-rs256", SigningAlgorithm.RS256),
    };

    private static async Task<(CredentialVerifier Verifier, string Genuine)> CreateSut()
    {
        using var signer = CredentialTestData.Signer();
        var jwks = IssuerDocuments.AllIssuersJwks(
        [
            new IssuerDocuments.IssuerKey(Engineering, await signer.GetPublicKeyAsync(Engineering.Key, CancellationToken.None)),
            new IssuerDocuments.IssuerKey(Nursing, await signer.GetPublicKeyAsync(Nursing.Key, CancellationToken.None)),
        ]);
        var genuine = await new VcJwt(signer).SignCredentialAsync(Certificate(), Engineering, CancellationToken.None);
        return (new CredentialVerifier(new JwksKeyResolver(jwks), new FakeTimeProvider(CredentialTestData.Now)), genuine);
    }

    private static JsonObject Certificate() => OpenBadgeCredentialBuilder.Build(CredentialTestData.Request(CredentialTestData.Certificate()));

    private static void AssertKeyRefused(VerificationResult result, string message)
    {
        Assert.False(result.IsValid);
        Assert.False(result.IsAuthenticated);
        var key = result.Find(CheckCodes.JwtKey)!;
        Assert.True(key.Outcome == CheckOutcome.Failed, string.Join("\n", result.Checks));
        Assert.Equal(message, key.Message);
        Assert.NotEqual(CheckOutcome.Passed, result.Find(CheckCodes.JwtSignature)!.Outcome);
    }

    [Fact]
    public void Thumbprint_of_the_RFC_7638_example_key_is_the_RFC_value()
    {
        var jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["n"] = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            ["e"] = "AQAB",
            ["alg"] = "RS256",
            ["kid"] = "2011-04-29",
        };

        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", JwkThumbprint.Of(jwk));
        Assert.Equal(JwkThumbprint.Of(jwk), JwkThumbprint.Of(new Microsoft.IdentityModel.Tokens.JsonWebKey(jwk.ToJsonString())));
    }

    [Fact]
    public void Thumbprint_ignores_optional_members_and_needs_every_required_one()
    {
        using var forger = new ForgedCredentials(ForgeryKey.EC);
        var bare = forger.PublicJwk;
        var decorated = forger.Jwks("k", "https://example.org/issuer")["keys"]![0]!.AsObject();
        var withoutY = forger.PublicJwk;
        withoutY.Remove("y");

        Assert.Equal(JwkThumbprint.Of(bare), JwkThumbprint.Of(decorated));
        Assert.Null(JwkThumbprint.Of(withoutY));
        Assert.Null(JwkThumbprint.Of(new JsonObject { ["kty"] = "oct", ["k"] = "c2VjcmV0" }));
    }

    [Fact]
    public async Task Genuine_credential_passes_the_key_check_with_a_message_naming_the_issuer()
    {
        var (verifier, genuine) = await CreateSut();

        var result = await verifier.VerifyAsync(genuine, null, CancellationToken.None);

        Assert.True(result.IsValid, string.Join("\n", result.Checks));
        Assert.Equal($"The key \"{IssuerUrl}/jwks.json#test-rs256\" is one {IssuerUrl} publishes.", result.Find(CheckCodes.JwtKey)!.Message);
    }

    [Theory]
    [InlineData(ForgeryKey.Rsa)]
    [InlineData(ForgeryKey.EC)]
    public async Task Attackers_own_key_in_the_header_jwk_is_refused(ForgeryKey kind)
    {
        var (verifier, genuine) = await CreateSut();
        using var forger = new ForgedCredentials(kind);

        var result = await verifier.VerifyAsync(forger.WithHeaderJwk(ForgedCredentials.Impersonating(genuine)), null, CancellationToken.None);

        AssertKeyRefused(result, $"The JWT header carries its own key, and {IssuerUrl} does not publish that key: anyone could have signed it.");
        Assert.Equal(CheckOutcome.Skipped, result.Find(CheckCodes.JwtSignature)!.Outcome);
    }

    [Fact]
    public async Task Header_jwk_beside_a_kid_that_is_ours_is_refused_when_the_jwk_is_not_the_key_of_that_kid()
    {
        var (verifier, genuine) = await CreateSut();
        using var forger = new ForgedCredentials();
        var kid = (string)ForgedCredentials.HeaderOf(genuine)["kid"]!;

        var result = await verifier.VerifyAsync(forger.WithHeaderJwkAndKid(ForgedCredentials.Impersonating(genuine), kid), null, CancellationToken.None);

        AssertKeyRefused(result, $"The JWT header carries its own key, and {IssuerUrl} does not publish that key: anyone could have signed it.");
    }

    [Fact]
    public async Task Header_jwk_with_private_members_is_never_used()
    {
        var (verifier, genuine) = await CreateSut();
        using var forger = new ForgedCredentials();

        var result = await verifier.VerifyAsync(forger.WithPrivateHeaderJwk(ForgedCredentials.Impersonating(genuine)), null, CancellationToken.None);

        AssertKeyRefused(result, "The JWT header jwk is not an RSA or EC public key (it is malformed, of another type, or carries private key members), so it is not used.");
    }

    [Fact]
    public async Task Header_jwk_of_the_issuers_own_key_counts_and_the_published_key_checks_the_signature()
    {
        using var signer = CredentialTestData.Signer();
        var (verifier, genuine) = await CreateSut();
        var jwk = JwkJson.ToJson(await signer.GetPublicKeyAsync(Engineering.Key, CancellationToken.None));
        var claims = ForgedCredentials.PayloadOf(genuine);
        var header = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["alg"] = "RS256", ["jwk"] = jwk }.ToJsonString()));
        var body = genuine.Split('.')[1];
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(header + "." + body));
        var signature = System.Buffers.Text.Base64Url.EncodeToString(await signer.SignDigestAsync(Engineering.Key, digest, CancellationToken.None));

        var result = await verifier.VerifyAsync($"{header}.{body}.{signature}", null, CancellationToken.None);

        Assert.True(result.IsValid, string.Join("\n", result.Checks));
        Assert.Equal(IssuerUrl, (string?)claims["iss"]);
        Assert.StartsWith($"The JWT header carries its own key, and {IssuerUrl} publishes that same key (RFC 7638 thumbprint ", result.Find(CheckCodes.JwtKey)!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jku")]
    [InlineData("x5c")]
    public async Task Jku_and_x5c_headers_are_ignored_so_the_signature_is_checked_with_the_issuers_keys_and_fails(string header)
    {
        var (verifier, genuine) = await CreateSut();
        using var forger = new ForgedCredentials();
        var payload = ForgedCredentials.Impersonating(genuine);
        var jwt = header == "jku" ? forger.WithJku(payload, "https://attacker.example/jwks.json") : forger.WithX5c(payload);

        var result = await verifier.VerifyAsync(jwt, null, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.Equal($"{IssuerUrl} publishes 1 key; the signature is checked with it.", result.Find(CheckCodes.JwtKey)!.Message);
        var signature = result.Find(CheckCodes.JwtSignature)!;
        Assert.Equal(CheckOutcome.Failed, signature.Outcome);
        Assert.Equal("The RS256 signature does not verify with the issuer's key: the badge was changed after it was signed, or someone else signed it.", signature.Message);
    }

    [Fact]
    public async Task A_kid_of_another_of_our_issuers_is_refused_even_though_that_key_made_the_signature()
    {
        using var signer = CredentialTestData.Signer();
        var (verifier, _) = await CreateSut();
        var jwt = await new VcJwt(signer).SignCredentialAsync(Certificate(), Nursing, CancellationToken.None);

        var result = await verifier.VerifyAsync(jwt, null, CancellationToken.None);

        AssertKeyRefused(result,
            $"{IssuerUrl} does not publish the key \"https://badges.example.edu/issuers/nursing/jwks.json#other-rs256\" named in the JWT header: anyone could have signed it.");
    }

    [Fact]
    public async Task Iss_naming_another_issuer_than_the_credential_is_refused_before_any_key_is_looked_up()
    {
        using var signer = CredentialTestData.Signer();
        var (verifier, _) = await CreateSut();
        var claims = VcJwt.ToClaims(Certificate());
        claims["iss"] = "https://badges.example.edu/issuers/nursing";
        var jwt = await new VcJwt(signer).SignPayloadAsync(claims, Nursing, CancellationToken.None);

        var result = await verifier.VerifyAsync(jwt, null, CancellationToken.None);

        AssertKeyRefused(result,
            $"The JWT's iss \"https://badges.example.edu/issuers/nursing\" is not the issuer the credential names (\"{IssuerUrl}\"), so its key cannot be tied to the issuer shown.");
        Assert.Equal(CheckOutcome.Failed, result.Find(CheckCodes.JwtIss)!.Outcome);
    }

    [Fact]
    public async Task A_credential_naming_no_issuer_has_no_key()
    {
        using var forger = new ForgedCredentials();
        var (verifier, genuine) = await CreateSut();
        var payload = ForgedCredentials.PayloadOf(genuine);
        payload.Remove("iss");
        payload.Remove("issuer");

        var result = await verifier.VerifyAsync(forger.WithHeaderJwk(payload), null, CancellationToken.None);

        AssertKeyRefused(result, "The credential names no issuer, so no key can be tied to one: anyone could have signed it.");
    }

    [Fact]
    public async Task Unverified_embedded_proof_is_never_valid_and_its_status_is_not_checked()
    {
        var (verifier, _) = await CreateSut();
        var credential = Certificate();
        credential["credentialStatus"] = new JsonObject
        {
            ["id"] = "https://badges.example.edu/status/engineering/1#4242",
            ["type"] = "BitstringStatusListEntry",
            ["statusPurpose"] = "revocation",
            ["statusListIndex"] = "4242",
            ["statusListCredential"] = "https://badges.example.edu/status/engineering/1",
        };
        credential["proof"] = new JsonArray(new JsonObject
        {
            ["type"] = "DataIntegrityProof",
            ["cryptosuite"] = "eddsa-rdfc-2022",
            ["proofPurpose"] = "assertionMethod",
            ["verificationMethod"] = IssuerUrl + "#key-1",
            ["proofValue"] = "z5forged",
        });

        var result = await verifier.VerifyAsync(credential.ToJsonString(), null, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.False(result.IsAuthenticated);
        Assert.Equal(CheckOutcome.NotSupported, result.Find(CheckCodes.Proof)!.Outcome);
        Assert.Equal(CheckOutcome.Skipped, result.Find(CheckCodes.Status)!.Outcome);
    }

    [Fact]
    public async Task Signature_failure_message_names_no_library_type()
    {
        var (verifier, genuine) = await CreateSut();
        var parts = genuine.Split('.');
        var tampered = $"{parts[0]}.{parts[1]}.{parts[2][..^4]}AAAA";

        var result = await verifier.VerifyAsync(tampered, null, CancellationToken.None);

        var message = result.Find(CheckCodes.JwtSignature)!.Message;
        Assert.Equal("The RS256 signature does not verify with the issuer's key: the badge was changed after it was signed, or someone else signed it.", message);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\n  \"a\": 1,\n  \"b\": }", "The input is not valid JSON, or names a member twice (line 3, byte 8).")]
    [InlineData("{\"a\": 1, \"a\": 2}", "The input is not valid JSON, or names a member twice.")]
    public async Task Json_parse_failure_message_is_in_our_words_with_the_position_when_known(string input, string expected)
    {
        var (verifier, _) = await CreateSut();

        var result = await verifier.VerifyAsync(input, null, CancellationToken.None);

        var check = result.Find(CheckCodes.JsonFormat)!;
        Assert.Equal(CheckOutcome.Failed, check.Outcome);
        Assert.Equal(expected, check.Message);
    }
}
