using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using Pipeline.Core.Http;
using Pipeline.Core.Json;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Verification;

/// <summary>
/// Resolves the keys an issuer publishes, reached from the issuer id alone (docs/verification.md, "Which keys count"):
/// <list type="bullet">
/// <item>one of our issuers (<paramref name="local"/> knows keys for it): its keys from memory, nothing fetched;</item>
/// <item>a <c>did:web</c> issuer: the verification methods of its DID document that its <c>assertionMethod</c> lists,
/// each a <c>publicKeyJwk</c>; a <c>kid</c> must be one of those methods (a method of another DID is never fetched);</item>
/// <item>an https issuer: the JWK Set its origin publishes at <c>/.well-known/jwks.json</c>, or the JWK Set an https
/// <c>kid</c> URL on the same origin names; a key there with <c>iss</c> counts only for that issuer. A <c>kid</c> on
/// another origin, or a DID <c>kid</c>, is not the issuer's and is never fetched.</item>
/// </list>
/// Every fetch goes through the <see cref="SafeHttpFetcher"/>. Only RSA and EC public keys are returned.
/// </summary>
public sealed class RemoteIssuerKeyResolver(IIssuerKeyResolver local, SafeHttpFetcher fetcher) : IIssuerKeyResolver
{
    public async ValueTask<IReadOnlyList<JsonWebKey>> ResolveAsync(string? keyId, string issuerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuerId);
        var found = await local.ResolveAsync(keyId, issuerId, cancellationToken);
        if (found.Count > 0 || (keyId is not null && (await local.ResolveAsync(null, issuerId, cancellationToken)).Count > 0))
        {
            return found;
        }
        if (issuerId.StartsWith("did:web:", StringComparison.Ordinal))
        {
            var ownKid = keyId is null || keyId.StartsWith('#') || keyId.StartsWith(issuerId + "#", StringComparison.Ordinal);
            return ownKid && DidWebUrl(issuerId) is { } didUrl && await FetchJsonAsync(didUrl, cancellationToken) is { } document
                ? KeysOfDidDocument(document, issuerId, keyId)
                : [];
        }
        if (!Uri.TryCreate(issuerId, UriKind.Absolute, out var issuerUrl) || issuerUrl.Scheme != Uri.UriSchemeHttps)
        {
            return [];
        }
        Uri jwksUrl;
        if (keyId is not null && Uri.TryCreate(keyId, UriKind.Absolute, out var kidUrl))
        {
            if (kidUrl.Scheme != Uri.UriSchemeHttps || !SameOrigin(kidUrl, issuerUrl))
            {
                return [];
            }
            jwksUrl = new UriBuilder(kidUrl) { Fragment = "" }.Uri;
        }
        else
        {
            jwksUrl = new Uri(issuerUrl, "/.well-known/jwks.json");
        }
        return await FetchJsonAsync(jwksUrl, cancellationToken) is { } jwks && jwks["keys"] is JsonArray
            ? await new JwksKeyResolver(jwks, publisher: issuerId).ResolveAsync(keyId, issuerId, cancellationToken)
            : [];
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

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
        // Read as every other outside document is (one object, each member once); anything else gives no key.
        return StrictJson.ParseObject(System.Text.Encoding.UTF8.GetString(fetched.Content!)).Json;
    }

    /// <summary>
    /// The keys of a DID document whose <c>id</c> is <paramref name="did"/>: its verification methods (ids
    /// <c>{did}#…</c> or relative <c>#…</c>) that <c>assertionMethod</c> lists by id or embeds, narrowed to the kid.
    /// </summary>
    private static List<JsonWebKey> KeysOfDidDocument(JsonObject document, string did, string? keyId)
    {
        if (Text(document["id"]) != did)
        {
            return [];
        }
        string? Absolute(string? id) => id is null ? null : id.StartsWith('#') ? did + id : id.StartsWith(did + "#", StringComparison.Ordinal) ? id : null;
        var assertion = (document["assertionMethod"] as JsonArray ?? []).ToList();
        var listed = assertion.Select(m => Absolute(Text(m))).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var methods = (document["verificationMethod"] as JsonArray ?? []).OfType<JsonObject>().Where(m => listed.Contains(Absolute(Text(m["id"])) ?? ""))
            .Concat(assertion.OfType<JsonObject>());
        var wanted = Absolute(keyId);
        return [.. methods
            .Where(method => Absolute(Text(method["id"])) is { } id && (keyId is null || id == wanted))
            .Select(method => method["publicKeyJwk"] as JsonObject)
            .OfType<JsonObject>()
            .Where(JwksKeyResolver.IsPublicAsymmetric)
            .Select(jwk => new JsonWebKey(jwk.ToJsonString()))];
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
