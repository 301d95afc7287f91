using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Pipeline.Core.Verification;

/// <summary>
/// The RFC 7638 thumbprint of an RSA or EC public key: base64url(SHA-256) of a JSON object holding only the required
/// members (RSA: <c>e</c>, <c>kty</c>, <c>n</c>; EC: <c>crv</c>, <c>kty</c>, <c>x</c>, <c>y</c>) in lexicographic
/// order, no whitespace. Two JWKs have the same thumbprint exactly when they are the same key, whatever else they carry
/// (<c>kid</c>, <c>alg</c>, <c>use</c>, <c>iss</c>). Written here, not taken from a library, so the comparison that
/// binds a header <c>jwk</c> to an issuer is one small function with its own test vector (RFC 7638 §3.1).
/// </summary>
public static class JwkThumbprint
{
    /// <summary>The thumbprint, or null when the JWK is not RSA or EC or lacks a required member (or one is not a string).</summary>
    public static string? Of(JsonObject jwk)
    {
        ArgumentNullException.ThrowIfNull(jwk);
        string? Member(string name) => jwk[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        return Compute(Member("kty"), Member("e"), Member("n"), Member("crv"), Member("x"), Member("y"));
    }

    /// <summary>The thumbprint of a key a resolver returned, or null as for <see cref="Of(JsonObject)"/>.</summary>
    public static string? Of(JsonWebKey jwk)
    {
        ArgumentNullException.ThrowIfNull(jwk);
        return Compute(jwk.Kty, jwk.E, jwk.N, jwk.Crv, jwk.X, jwk.Y);
    }

    private static string? Compute(string? kty, string? e, string? n, string? crv, string? x, string? y)
    {
        (string Name, string? Value)[]? members = kty switch
        {
            "RSA" => [("e", e), ("kty", kty), ("n", n)],
            "EC" => [("crv", crv), ("kty", kty), ("x", x), ("y", y)],
            _ => null,
        };
        if (members is null || members.Any(m => string.IsNullOrEmpty(m.Value)))
        {
            return null;
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in members)
            {
                writer.WriteString(name, value);
            }
            writer.WriteEndObject();
        }
        return Base64Url.EncodeToString(SHA256.HashData(buffer.ToArray()));
    }
}
