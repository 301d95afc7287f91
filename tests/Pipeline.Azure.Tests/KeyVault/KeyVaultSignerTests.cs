using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Pipeline.Azure.KeyVault;
using Pipeline.Azure.Tests.TestData;
using Pipeline.Core.Catalog;
using Pipeline.Core.Signing;

namespace Pipeline.Azure.Tests.KeyVault;

/// <summary>The Key Vault keys REST contract (get key, sign) as documented: request line, api-version, auth, body, responses.</summary>
public sealed class KeyVaultSignerTests : IDisposable
{
    private static readonly Uri Vault = new("https://umaine-kv.vault.azure.net/");
    private const string Kid = "https://umaine-kv.vault.azure.net/keys/umaine-signing/9885aa558e8d448789683188f8c194b0";

    private readonly RecordingHandler _server = new();
    private readonly StaticTokenCredential _credential = new("token-1");

    public void Dispose() => _server.Dispose();

    private KeyVaultSigner Signer() => new(Vault, _credential, new KeyVaultSignerOptions
    {
        Transport = _server.Transport,
        Retry = { Delay = TimeSpan.FromMilliseconds(1) },
    });

    private static string RsaKeyJson(RSA rsa)
    {
        var p = rsa.ExportParameters(false);
        return $$$"""{"key":{"kid":"{{{Kid}}}","kty":"RSA-HSM","key_ops":["sign","verify"],"n":"{{{Base64Url.EncodeToString(p.Modulus)}}}","e":"{{{Base64Url.EncodeToString(p.Exponent)}}}"},"attributes":{"enabled":true}}""";
    }

    [Fact]
    public async Task SignDigest_gets_the_key_then_posts_alg_and_base64url_digest_to_the_versioned_sign_url()
    {
        using var rsa = RSA.Create(2048);
        var digest = SHA256.HashData("header.payload"u8);
        var signature = rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _server.Respond(HttpStatusCode.OK, RsaKeyJson(rsa))
            .Respond(HttpStatusCode.OK, $$"""{"kid":"{{Kid}}","value":"{{Base64Url.EncodeToString(signature)}}"}""");

        var result = await Signer().SignDigestAsync(new SigningKeyReference("umaine-signing", SigningAlgorithm.RS256), digest, CancellationToken.None);

        Assert.Equal(signature, result);
        var (get, sign) = (_server.Requests[0], _server.Requests[1]);
        Assert.Equal(("GET", "/keys/umaine-signing", "?api-version=7.5"), (get.Method, get.Uri.AbsolutePath, get.Uri.Query));
        Assert.Equal(("POST", "/keys/umaine-signing/9885aa558e8d448789683188f8c194b0/sign", "?api-version=7.5"), (sign.Method, sign.Uri.AbsolutePath, sign.Uri.Query));
        Assert.Equal("umaine-kv.vault.azure.net", sign.Uri.Host);
        Assert.Equal("Bearer token-1", sign.Headers["Authorization"]);
        Assert.StartsWith("application/json", sign.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Contains("https://vault.azure.net/.default", _credential.Scopes);
        using var body = JsonDocument.Parse(sign.Body!);
        Assert.Equal("RS256", body.RootElement.GetProperty("alg").GetString());
        Assert.Equal(Base64Url.EncodeToString(digest), body.RootElement.GetProperty("value").GetString());
        Assert.DoesNotContain('=', body.RootElement.GetProperty("value").GetString()!);
    }

    [Fact]
    public async Task GetPublicKey_maps_an_RSA_HSM_key_to_a_public_JWK_with_name_and_version_as_kid()
    {
        using var rsa = RSA.Create(2048);
        _server.Respond(HttpStatusCode.OK, RsaKeyJson(rsa));

        var jwk = await Signer().GetPublicKeyAsync(new SigningKeyReference("umaine-signing", SigningAlgorithm.RS256), CancellationToken.None);

        var p = rsa.ExportParameters(false);
        Assert.Equal(("RSA", "RS256", "sig", "umaine-signing/9885aa558e8d448789683188f8c194b0"), (jwk.Kty, jwk.Alg, jwk.Use, jwk.Kid));
        Assert.Equal((Base64Url.EncodeToString(p.Modulus), Base64Url.EncodeToString(p.Exponent)), (jwk.N, jwk.E));
    }

    [Fact]
    public async Task A_versioned_key_name_is_fetched_at_that_version_and_an_EC_key_maps_to_ES256()
    {
        _server.Respond(HttpStatusCode.OK, """{"key":{"kid":"https://umaine-kv.vault.azure.net/keys/ec-key/v2","kty":"EC","crv":"P-256","x":"eHg","y":"eXk"}}""");

        var jwk = await Signer().GetPublicKeyAsync(new SigningKeyReference("ec-key/v2", SigningAlgorithm.ES256), CancellationToken.None);

        Assert.Equal("/keys/ec-key/v2", _server.Requests[0].Uri.AbsolutePath);
        Assert.Equal(("EC", "ES256", "P-256", "eHg", "eXk", "ec-key/v2"), (jwk.Kty, jwk.Alg, jwk.Crv, jwk.X, jwk.Y, jwk.Kid));
    }

    [Fact]
    public async Task A_key_of_another_type_than_the_issuers_algorithm_is_a_fault_that_names_both()
    {
        _server.Respond(HttpStatusCode.OK, """{"key":{"kid":"https://umaine-kv.vault.azure.net/keys/ec-key/v2","kty":"EC","crv":"P-256","x":"eHg","y":"eXk"}}""");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Signer().GetPublicKeyAsync(new SigningKeyReference("ec-key", SigningAlgorithm.RS256), CancellationToken.None));

        Assert.Contains("ec-key/v2 is EC P-256", error.Message, StringComparison.Ordinal);
        Assert.Contains("RS256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttled_sign_429_is_retried_after_Retry_After_and_succeeds()
    {
        using var rsa = RSA.Create(2048);
        var digest = SHA256.HashData("x"u8);
        _server.Respond(HttpStatusCode.OK, RsaKeyJson(rsa))
            .Respond(HttpStatusCode.TooManyRequests, """{"error":{"code":"Throttled","message":"Request was not processed because too many requests were received."}}""", ("Retry-After", "1"))
            .Respond(HttpStatusCode.OK, $$"""{"kid":"{{Kid}}","value":"AQID"}""");

        var result = await Signer().SignDigestAsync(new SigningKeyReference("umaine-signing", SigningAlgorithm.RS256), digest, CancellationToken.None);

        Assert.Equal([1, 2, 3], result);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(_server.Requests[1].Body, _server.Requests[2].Body);
    }

    [Fact]
    public async Task A_Key_Vault_error_response_is_a_fault_with_its_status_code_and_message()
    {
        _server.Respond(HttpStatusCode.Forbidden, """{"error":{"code":"Forbidden","message":"Caller is not authorized to perform action on resource.","innererror":{"code":"ForbiddenByRbac"}}}""");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Signer().GetPublicKeyAsync(new SigningKeyReference("umaine-signing", SigningAlgorithm.RS256), CancellationToken.None));

        Assert.Equal((403, "Forbidden"), (error.Status, error.ErrorCode));
        Assert.Contains("Caller is not authorized", error.Message, StringComparison.Ordinal);
        Assert.Contains("umaine-signing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_digest_that_is_not_32_bytes_is_refused_before_any_request()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Signer().SignDigestAsync(new SigningKeyReference("umaine-signing", SigningAlgorithm.RS256), new byte[20], CancellationToken.None));

        Assert.Empty(_server.Requests);
    }
}
