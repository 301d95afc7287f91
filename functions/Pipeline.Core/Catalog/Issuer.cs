using Pipeline.Core.Signing;

namespace Pipeline.Core.Catalog;

/// <summary>An organisation that awards achievements; becomes the OB 3.0 issuer Profile and the OB 2.0 Issuer.</summary>
public sealed record Issuer
{
    /// <summary>URL-safe slug, unique in the catalog; appears in public URLs (<c>/issuers/{Id}</c>).</summary>
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required Uri Url { get; init; }
    public required string Email { get; init; }
    public string? Description { get; init; }
    /// <summary>Path of the issuer's logo (PNG or SVG), relative to the catalog folder.</summary>
    public string? ImagePath { get; init; }
    public required SigningKeyReference Key { get; init; }
    /// <summary>
    /// Keys this issuer signed with before <see cref="Key"/> (catalog <c>key.previous</c>), same algorithm: no longer used
    /// to sign, still published in the JWK Sets so credentials signed with them keep verifying after a rotation.
    /// </summary>
    public IReadOnlyList<SigningKeyReference> PreviousKeys { get; init; } = [];
    /// <summary>The origin public URLs are minted under, e.g. <c>https://badges.example.edu/</c>; ends with '/'.</summary>
    public required Uri PublicBaseUrl { get; init; }

    public PublicUrls Urls => new(PublicBaseUrl);
}
