namespace Pipeline.Core.Baking;

/// <summary>What a baked image carries (Open Badges 3.0 Baked Badge; OB 2.0 Baking Specification).</summary>
public enum BakedCredentialFormat
{
    /// <summary>OB 3.0 credential secured as a VC-JWT (compact JWS).</summary>
    Ob3Jwt,
    /// <summary>OB 3.0 credential as JSON (embedded proof).</summary>
    Ob3Json,
    /// <summary>OB 2.0 assertion JSON.</summary>
    Ob2Json,
    /// <summary>OB 2.0 signed assertion (compact JWS).</summary>
    Ob2Jws,
    /// <summary>OB 2.0 hosted assertion URL.</summary>
    Ob2Url,
}

/// <summary>
/// A credential as baked into (or read out of) a badge image: its format and its text, exactly as stored
/// (surrounding whitespace trimmed when read).
/// </summary>
public sealed record BakedCredential(BakedCredentialFormat Format, string Payload)
{
    public static BakedCredential Ob3Jwt(string compactJws) => new(BakedCredentialFormat.Ob3Jwt, compactJws);
    public static BakedCredential Ob3Json(string credentialJson) => new(BakedCredentialFormat.Ob3Json, credentialJson);
    public static BakedCredential Ob2Json(string assertionJson) => new(BakedCredentialFormat.Ob2Json, assertionJson);
    public static BakedCredential Ob2Jws(string compactJws) => new(BakedCredentialFormat.Ob2Jws, compactJws);
    public static BakedCredential Ob2Url(Uri hostedAssertion) => new(BakedCredentialFormat.Ob2Url, hostedAssertion?.AbsoluteUri ?? throw new ArgumentNullException(nameof(hostedAssertion)));

    /// <summary>True for the OB 3.0 formats, false for OB 2.0.</summary>
    public bool IsOb3 => Format is BakedCredentialFormat.Ob3Jwt or BakedCredentialFormat.Ob3Json;
}
