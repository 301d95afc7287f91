using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using Pipeline.Core.Credentials.Verification;

namespace Pipeline.Core.Http.Verify;

/// <summary>
/// Resolves the keys of any issuer: our own issuers from memory first (<paramref name="local"/>), then, through the
/// <see cref="SafeHttpFetcher"/>, a <c>did:web</c> <c>kid</c> (or <c>iss</c>) from its DID document's
/// <c>verificationMethod</c> <c>publicKeyJwk</c>, or an https <c>kid</c> URL from the JWK Set (or DID document) it
/// names. Only RSA and EC public keys are returned.
/// </summary>
public sealed class RemoteIssuerKeyResolver(IIssuerKeyResolver local, SafeHttpFetcher fetcher) : IIssuerKeyResolver
{
    public async ValueTask<IReadOnlyList<JsonWebKey>> ResolveAsync(string? keyId, string? issuerId, CancellationToken cancellationToken)
    {
        var found = await local.ResolveAsync(keyId, issuerId, cancellationToken);
        if (found.Count > 0)
        {
            return found;
        }
        var did = keyId is not null && keyId.StartsWith("did:web:", StringComparison.Ordinal)
            ? keyId.Split('#')[0]
            : issuerId is not null && issuerId.StartsWith("did:web:", StringComparison.Ordinal) ? issuerId : null;
        if (did is not null)
        {
            return DidWebUrl(did) is { } didUrl && await FetchJsonAsync(didUrl, cancellationToken) is { } document
                ? KeysOfDidDocument(document, did, keyId)
                : [];
        }
        if (keyId is not null && Uri.TryCreate(keyId, UriKind.Absolute, out var kidUrl) && kidUrl.Scheme == Uri.UriSchemeHttps)
        {
            var documentUrl = new UriBuilder(kidUrl) { Fragment = "" }.Uri;
            if (await FetchJsonAsync(documentUrl, cancellationToken) is not { } document)
            {
                return [];
            }
            return document["keys"] is JsonArray
                ? await new JwksKeyResolver(document).ResolveAsync(keyId, issuerId, cancellationToken)
                : KeysOfDidDocument(document, documentUrl.AbsoluteUri, keyId);
        }
        return [];
    }

    /// <summary>
    /// The URL of a <c>did:web</c> DID document (DID Web method §3.2): <c>did:web:example.com</c> →
    /// <c>https://example.com/.well-known/did.json</c>; <c>did:web:example.com:a:b</c> → <c>https://example.com/a/b/did.json</c>;
    /// a percent-encoded port (<c>%3A</c>) is decoded. Null when the DID is not a well-formed did:web.
    /// </summary>
    public static Uri? DidWebUrl(string did)
    {
        ArgumentNullException.ThrowIfNull(did);
        if (!did.StartsWith("did:web:", StringComparison.Ordinal) || did.Contains('#', StringComparison.Ordinal) || did.Contains('?', StringComparison.Ordinal))
        {
            return null;
        }
        var segments = did["did:web:".Length..].Split(':');
        if (segments.Any(s => s.Length == 0))
        {
            return null;
        }
        var host = Uri.UnescapeDataString(segments[0]);
        var path = segments.Length == 1
            ? "/.well-known/did.json"
            : "/" + string.Join('/', segments.Skip(1).Select(Uri.EscapeDataString)) + "/did.json";
        return Uri.TryCreate("https://" + host + path, UriKind.Absolute, out var url) && url.Host.Length > 0 ? url : null;
    }

    private async Task<JsonObject?> FetchJsonAsync(Uri url, CancellationToken cancellationToken)
    {
        var fetched = await fetcher.GetAsync(url, "application/json", cancellationToken);
        if (!fetched.Succeeded)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(fetched.Content) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<JsonWebKey> KeysOfDidDocument(JsonObject document, string documentId, string? keyId)
    {
        var fragment = keyId is null ? null : keyId[(keyId.IndexOf('#', StringComparison.Ordinal) + 1)..];
        return [.. (document["verificationMethod"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(method => keyId is null || Text(method["id"]) is { } id && (id == keyId || id == "#" + fragment || id == documentId + "#" + fragment))
            .Select(method => method["publicKeyJwk"] as JsonObject)
            .OfType<JsonObject>()
            .Where(JwksKeyResolver.IsPublicAsymmetric)
            .Select(jwk => new JsonWebKey(jwk.ToJsonString()))];
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
