namespace Pipeline.Core.Baking;

/// <summary>Why an image could not be baked or unbaked. Stable codes; the message says where and what.</summary>
public enum BakingErrorCode
{
    /// <summary>The PNG signature (first 8 bytes) is missing.</summary>
    NotPng,
    /// <summary>The file ends inside a chunk.</summary>
    Truncated,
    /// <summary>A chunk's CRC-32 does not match its type and data.</summary>
    CrcMismatch,
    /// <summary>IHDR is not first, IEND is not last, or bytes follow IEND.</summary>
    ChunkOrder,
    /// <summary>A chunk declares more data than the limits allow.</summary>
    ChunkTooLarge,
    /// <summary>The whole file exceeds the size limit.</summary>
    ImageTooLarge,
    /// <summary>The PNG has more chunks than the limit allows.</summary>
    TooManyChunks,
    /// <summary>A text chunk is not laid out as the PNG specification says.</summary>
    MalformedTextChunk,
    /// <summary>A compressed text chunk uses a compression this reader does not accept.</summary>
    UnsupportedCompression,
    /// <summary>A compressed text chunk inflates beyond the limit.</summary>
    CompressedTextTooLarge,
    /// <summary>A compressed text chunk holds corrupt zlib data.</summary>
    InvalidCompressedData,
    /// <summary>Text that must be UTF-8 is not.</summary>
    InvalidUtf8,
    /// <summary>The image holds no Open Badges credential or assertion.</summary>
    NoCredential,
    /// <summary>The credential element or chunk is there but empty.</summary>
    EmptyCredential,
    /// <summary>The baked text claims to be JSON but does not parse.</summary>
    InvalidJson,
    /// <summary>The baked text is neither JSON, a compact JWS, nor (OB 2.0) an http(s) URL.</summary>
    UnrecognizedPayload,
    /// <summary>The baked text exceeds the payload limit.</summary>
    PayloadTooLarge,
    /// <summary>The file is not well-formed XML.</summary>
    NotXml,
    /// <summary>The XML declares an internal DTD subset (entity declarations are refused).</summary>
    DtdNotAllowed,
    /// <summary>The XML root element is not <c>svg</c>.</summary>
    NotSvg,
    /// <summary>The image is neither a PNG nor an SVG.</summary>
    UnsupportedImageType,
}

public sealed record BakingError(BakingErrorCode Code, string Message)
{
    public override string ToString() => $"{Code}: {Message}";
}
