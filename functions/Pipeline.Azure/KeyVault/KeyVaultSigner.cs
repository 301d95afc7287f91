using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Pipeline.Azure.Http;
using Pipeline.Core.Catalog;
using Pipeline.Core.Signing;

namespace Pipeline.Azure.KeyVault;

/// <summary>Options of <see cref="KeyVaultSigner"/>: Azure.Core's retry (429 and 5xx retried, Retry-After honoured), transport and diagnostics.</summary>
public sealed class KeyVaultSignerOptions : ClientOptions
{
    /// <summary>The Key Vault keys REST api-version this client speaks.</summary>
    public const string ApiVersion = "7.5";

    public KeyVaultSignerOptions()
    {
        Retry.MaxRetries = 8;
    }
}

/// <summary>
/// <see cref="ISigner"/> on Key Vault's <c>sign</c> operation (RS256, ES256), a small client on Azure.Core's
/// <see cref="HttpPipeline"/> with a bearer token for <c>https://vault.azure.net/.default</c>. A key reference is
/// <c>{name}</c> or <c>{name}/{version}</c>; a bare name is pinned to the version that is current when this instance
/// first uses it, so the <c>kid</c> in a JWS header and the key that signed it always agree. The kid is
/// <c>{name}/{version}</c>, so JWKS can list old versions beside the current one.
/// </summary>
public sealed class KeyVaultSigner : ISigner
{
    private const string Scope = "https://vault.azure.net/.default";

    private readonly Uri _vault;
    private readonly HttpPipeline _pipeline;
    private readonly ConcurrentDictionary<string, Lazy<Task<PublicJwk>>> _keys = new(StringComparer.Ordinal);

    public KeyVaultSigner(Uri vault, TokenCredential credential, KeyVaultSignerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(credential);
        _vault = vault;
        _pipeline = HttpPipelineBuilder.Build(options ?? new KeyVaultSignerOptions(), new BearerTokenAuthenticationPolicy(credential, Scope));
    }

    public async Task<byte[]> SignDigestAsync(SigningKeyReference key, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (digest.Length != 32)
        {
            throw new ArgumentException($"Digest for key {key.KeyName}: expected the 32-byte SHA-256 of the signing input, got {digest.Length} bytes.", nameof(digest));
        }
        var jwk = await GetPublicKeyAsync(key, cancellationToken);
        var body = new JsonObject
        {
            ["alg"] = key.Algorithm.ToString(),
            ["value"] = Base64Url.EncodeToString(digest.Span),
        };
        using var message = ServiceError.Json(_pipeline, RequestMethod.Post, KeyUri(jwk.Kid, "/sign"), BinaryData.FromString(body.ToJsonString()));
        await _pipeline.SendAsync(message, cancellationToken);
        ServiceError.ThrowUnless(message.Response, $"Key Vault sign with key {jwk.Kid}", 200);
        using var json = JsonDocument.Parse(message.Response.Content);
        return Base64Url.DecodeFromChars(json.RootElement.GetProperty("value").GetString());
    }

    public Task<PublicJwk> GetPublicKeyAsync(SigningKeyReference key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var lazy = _keys.GetOrAdd(key.KeyName, _ => new Lazy<Task<PublicJwk>>(() => FetchPublicKeyAsync(key)));
        if (lazy.Value.IsFaulted || lazy.Value.IsCanceled)
        {
            _keys.TryRemove(KeyValuePair.Create(key.KeyName, lazy));
        }
        return lazy.Value.WaitAsync(cancellationToken);
    }

    private async Task<PublicJwk> FetchPublicKeyAsync(SigningKeyReference key)
    {
        var parts = key.KeyName.Split('/');
        if (parts.Length > 2 || parts.Any(p => p.Length == 0 || !p.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            throw new ArgumentException($"Key name \"{key.KeyName}\": expected a Key Vault key name (letters, digits, '-'), optionally followed by '/' and a version.", nameof(key));
        }
        using var message = ServiceError.Json(_pipeline, RequestMethod.Get, KeyUri(key.KeyName, ""), null);
        await _pipeline.SendAsync(message, CancellationToken.None);
        ServiceError.ThrowUnless(message.Response, $"Key Vault get key {key.KeyName}", 200);
        using var json = JsonDocument.Parse(message.Response.Content);
        var jwk = json.RootElement.GetProperty("key");
        var kidUri = new Uri(jwk.GetProperty("kid").GetString()!);
        var segments = kidUri.AbsolutePath.Trim('/').Split('/');
        var kid = $"{segments[^2]}/{segments[^1]}";
        var kty = jwk.GetProperty("kty").GetString()!;
        string? Member(string name) => jwk.TryGetProperty(name, out var value) ? value.GetString() : null;
        var result = (kty, key.Algorithm) switch
        {
            ("RSA" or "RSA-HSM", SigningAlgorithm.RS256) => new PublicJwk { Kty = "RSA", Kid = kid, Alg = "RS256", N = Member("n"), E = Member("e") },
            ("EC" or "EC-HSM", SigningAlgorithm.ES256) when Member("crv") == "P-256" =>
                new PublicJwk { Kty = "EC", Kid = kid, Alg = "ES256", Crv = "P-256", X = Member("x"), Y = Member("y") },
            _ => throw new InvalidOperationException($"Key Vault key {kid} is {kty} {Member("crv")}, but the issuer expects {key.Algorithm}."),
        };
        return result;
    }

    private Uri KeyUri(string nameAndVersion, string operation)
    {
        var builder = new RequestUriBuilder();
        builder.Reset(_vault);
        builder.AppendPath("/keys/", escape: false);
        builder.AppendPath(nameAndVersion, escape: false);
        builder.AppendPath(operation, escape: false);
        builder.AppendQuery("api-version", KeyVaultSignerOptions.ApiVersion);
        return builder.ToUri();
    }
}
