using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Pipeline.Core.Credentials.Verification;

/// <summary>
/// Resolves keys from a JWK Set held in memory (an issuer's <c>jwks.json</c> or the all-issuers set).
/// A key matches a <c>kid</c> when its own <c>kid</c> equals it or equals the kid's fragment (so both
/// <c>…/jwks.json#key-1</c> and <c>key-1</c> styles work). A JWK carrying <c>iss</c> is only offered for that
/// issuer. Without a <c>kid</c>, only keys whose <c>iss</c> equals the token's issuer are offered.
/// Only RSA and EC public keys are kept: symmetric (<c>oct</c>) and private JWKs are ignored.
/// </summary>
public sealed class JwksKeyResolver : IIssuerKeyResolver
{
    private readonly IReadOnlyList<(JsonWebKey Key, string? Issuer)> _keys;

    public JwksKeyResolver(JsonObject jwks)
    {
        ArgumentNullException.ThrowIfNull(jwks);
        var keys = jwks["keys"] as JsonArray ?? throw new ArgumentException("JWK Set: expected a \"keys\" array.", nameof(jwks));
        _keys = [.. keys.OfType<JsonObject>()
            .Where(IsPublicAsymmetric)
            .Select(k => (new JsonWebKey(k.ToJsonString()), (string?)k["iss"]))];
    }

    public ValueTask<IReadOnlyList<JsonWebKey>> ResolveAsync(string? keyId, string? issuerId, CancellationToken cancellationToken)
    {
        var fragment = keyId is null ? null : keyId[(keyId.IndexOf('#', StringComparison.Ordinal) + 1)..];
        IReadOnlyList<JsonWebKey> found = [.. _keys
            .Where(k => k.Issuer is null || issuerId is null || k.Issuer == issuerId)
            .Where(k => keyId is null
                ? k.Issuer is not null && k.Issuer == issuerId
                : k.Key.Kid == keyId || (k.Key.Kid is not null && k.Key.Kid == fragment))
            .Select(k => k.Key)];
        return ValueTask.FromResult(found);
    }

    internal static bool IsPublicAsymmetric(JsonObject jwk) =>
        (string?)jwk["kty"] is "RSA" or "EC" && !jwk.ContainsKey("d") && !jwk.ContainsKey("k");
}
