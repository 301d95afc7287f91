using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Pipeline.Core.Verification;

/// <summary>
/// Resolves keys from a JWK Set held in memory (the all-issuers set, or a set reached from one issuer). Each key
/// belongs to one issuer: the one its <c>iss</c> member names, else <paramref name="publisher"/> (the issuer the set
/// was reached from); a key with neither belongs to nobody and is never offered. A key is offered only for its own
/// issuer, and, when the header has a <c>kid</c>, only when its own <c>kid</c> equals it or equals the kid's fragment
/// (so both <c>…/jwks.json#key-1</c> and <c>key-1</c> styles work). Only RSA and EC public keys are kept: symmetric
/// (<c>oct</c>) and private JWKs are ignored.
/// </summary>
public sealed class JwksKeyResolver : IIssuerKeyResolver
{
    private readonly IReadOnlyList<(JsonWebKey Key, string? Issuer)> _keys;

    /// <param name="jwks">The JWK Set.</param>
    /// <param name="publisher">The issuer a key without <c>iss</c> belongs to; null when every key names its issuer.</param>
    public JwksKeyResolver(JsonObject jwks, string? publisher = null)
    {
        ArgumentNullException.ThrowIfNull(jwks);
        var keys = jwks["keys"] as JsonArray ?? throw new ArgumentException("JWK Set: expected a \"keys\" array.", nameof(jwks));
        _keys = [.. keys.OfType<JsonObject>()
            .Where(IsPublicAsymmetric)
            .Select(k => (new JsonWebKey(k.ToJsonString()), k["iss"] is JsonValue iss && iss.TryGetValue<string>(out var named) ? named : publisher))];
    }

    public ValueTask<IReadOnlyList<JsonWebKey>> ResolveAsync(string? keyId, string issuerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuerId);
        var fragment = keyId is null ? null : keyId[(keyId.IndexOf('#', StringComparison.Ordinal) + 1)..];
        IReadOnlyList<JsonWebKey> found = [.. _keys
            .Where(k => k.Issuer is not null && k.Issuer == issuerId)
            .Where(k => keyId is null || k.Key.Kid == keyId || (k.Key.Kid is not null && k.Key.Kid == fragment))
            .Select(k => k.Key)];
        return ValueTask.FromResult(found);
    }

    /// <summary>The members that make a JWK private (RFC 7518 §6.2.2, §6.3.2, §6.4.1): a JWK carrying any of them is never used.</summary>
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    /// <summary>An RSA or EC key with no private member.</summary>
    public static bool IsPublicAsymmetric(JsonObject jwk)
    {
        ArgumentNullException.ThrowIfNull(jwk);
        return jwk["kty"] is JsonValue kty && kty.TryGetValue<string>(out var type) && type is "RSA" or "EC"
            && !PrivateMembers.Any(jwk.ContainsKey);
    }
}
