namespace Pipeline.Core.Baking;

/// <summary>
/// Caps applied to untrusted images (uploads to <c>/api/verify</c>, catalog art) before anything is allocated or inflated.
/// </summary>
public sealed record UnbakingLimits
{
    public static UnbakingLimits Default { get; } = new();

    /// <summary>Largest PNG or SVG file accepted, in bytes.</summary>
    public int MaxImageBytes { get; init; } = 50 * 1024 * 1024;

    /// <summary>Largest PNG text chunk (tEXt, zTXt, iTXt) and largest baked payload, in bytes (also caps inflated text).</summary>
    public int MaxTextBytes { get; init; } = 1024 * 1024;

    /// <summary>Most chunks a PNG may have.</summary>
    public int MaxChunkCount { get; init; } = 4096;
}
