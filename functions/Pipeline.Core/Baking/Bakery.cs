namespace Pipeline.Core.Baking;

/// <summary>Unbakes an image of either kind, told apart by content (PNG signature, else XML text).</summary>
public static class Bakery
{
    public static BakingResult<BakedCredential> Unbake(ReadOnlySpan<byte> image, UnbakingLimits? limits = null)
    {
        if (PngBakery.HasPngSignature(image))
        {
            return PngBakery.Unbake(image, limits);
        }
        var start = image.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? image[3..] : image;
        start = start.TrimStart((ReadOnlySpan<byte>)[(byte)' ', (byte)'\t', (byte)'\r', (byte)'\n']);
        return start.StartsWith((ReadOnlySpan<byte>)[(byte)'<']) || image.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || image.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])
            ? SvgBakery.Unbake(image, limits)
            : BakingResult<BakedCredential>.Failure(BakingErrorCode.UnsupportedImageType, "the file is neither a PNG (no PNG signature) nor an SVG (does not start with '<').");
    }
}
