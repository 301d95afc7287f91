using Pipeline.Core.Catalog;

namespace Pipeline.Core.Signing;

/// <summary>
/// The signer port. It has the shape of Key Vault's <c>sign</c> operation: a digest in (SHA-256 of the JWS
/// signing input), the raw signature out (RSASSA-PKCS1-v1_5 bytes for RS256; IEEE P1363 r‖s for ES256).
/// </summary>
public interface ISigner
{
    Task<byte[]> SignDigestAsync(SigningKeyReference key, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken);

    /// <summary>The public half as a JWK (no private members), with <c>kid</c>, <c>alg</c> and <c>use</c> set.</summary>
    Task<PublicJwk> GetPublicKeyAsync(SigningKeyReference key, CancellationToken cancellationToken);
}

/// <summary>A public JSON Web Key (RSA: n, e; EC P-256: crv, x, y), members base64url as in RFC 7517/7518.</summary>
public sealed record PublicJwk
{
    public required string Kty { get; init; }
    public required string Kid { get; init; }
    public required string Alg { get; init; }
    public string Use { get; init; } = "sig";
    public string? N { get; init; }
    public string? E { get; init; }
    public string? Crv { get; init; }
    public string? X { get; init; }
    public string? Y { get; init; }
}
