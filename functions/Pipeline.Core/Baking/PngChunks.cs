using System.Buffers.Binary;
using System.Text;

namespace Pipeline.Core.Baking;

/// <summary>One chunk of a validated PNG: where it sits in the file and what it is.</summary>
internal readonly record struct PngChunk(int Ordinal, string Type, int Offset, int DataLength)
{
    /// <summary>Bytes of the whole chunk: length, type, data and CRC.</summary>
    public int TotalLength => DataLength + 12;
    public int DataOffset => Offset + 8;
    public bool IsText => Type is "tEXt" or "zTXt" or "iTXt";
}

/// <summary>
/// Reads a PNG's chunk list and checks everything a reader can check without decoding pixels: the signature,
/// each chunk's length and CRC-32, IHDR first and IEND last, and the size limits.
/// </summary>
internal static class PngChunks
{
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static BakingResult<List<PngChunk>> Read(ReadOnlySpan<byte> png, UnbakingLimits limits)
    {
        if (png.Length > limits.MaxImageBytes)
        {
            return Fail(BakingErrorCode.ImageTooLarge, $"the file is {png.Length} bytes; the limit is {limits.MaxImageBytes}.");
        }
        if (png.Length < Signature.Length || !png[..Signature.Length].SequenceEqual(Signature))
        {
            return Fail(BakingErrorCode.NotPng, "the file does not start with the 8-byte PNG signature.");
        }
        var chunks = new List<PngChunk>();
        var offset = Signature.Length;
        while (offset < png.Length)
        {
            var ordinal = chunks.Count + 1;
            if (ordinal > limits.MaxChunkCount)
            {
                return Fail(BakingErrorCode.TooManyChunks, $"more than {limits.MaxChunkCount} chunks.");
            }
            if (png.Length - offset < 8)
            {
                return Fail(BakingErrorCode.Truncated, $"chunk {ordinal} at byte {offset}: the file ends inside the chunk header.");
            }
            var declared = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            var typeBytes = png.Slice(offset + 4, 4);
            if (!IsChunkType(typeBytes))
            {
                return Fail(BakingErrorCode.NotPng, $"chunk {ordinal} at byte {offset}: the type bytes {Convert.ToHexString(typeBytes)} are not four ASCII letters.");
            }
            var type = Encoding.ASCII.GetString(typeBytes);
            var cap = type is "tEXt" or "zTXt" or "iTXt" ? limits.MaxTextBytes : limits.MaxImageBytes;
            if (declared > int.MaxValue || declared > (uint)cap)
            {
                return Fail(BakingErrorCode.ChunkTooLarge, $"chunk {ordinal} ({type}) at byte {offset}: declares {declared} data bytes; the limit is {cap}.");
            }
            var length = (int)declared;
            if ((long)png.Length - offset - 12 < length)
            {
                return Fail(BakingErrorCode.Truncated, $"chunk {ordinal} ({type}) at byte {offset}: declares {length} data bytes but the file ends {png.Length - offset - 8} bytes later.");
            }
            var expected = BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8 + length)..]);
            var actual = Crc32.Compute(typeBytes, png.Slice(offset + 8, length));
            if (expected != actual)
            {
                return Fail(BakingErrorCode.CrcMismatch, $"chunk {ordinal} ({type}) at byte {offset}: CRC is {expected:x8}, computed {actual:x8}.");
            }
            chunks.Add(new PngChunk(ordinal, type, offset, length));
            offset += length + 12;
            if (type == "IEND")
            {
                break;
            }
        }
        if (chunks.Count == 0 || chunks[0].Type != "IHDR")
        {
            return Fail(BakingErrorCode.ChunkOrder, $"the first chunk is {(chunks.Count == 0 ? "missing" : chunks[0].Type)}; expected IHDR.");
        }
        if (chunks[^1].Type != "IEND")
        {
            return Fail(BakingErrorCode.Truncated, $"the file ends after chunk {chunks.Count} ({chunks[^1].Type}) without an IEND chunk.");
        }
        if (offset != png.Length)
        {
            return Fail(BakingErrorCode.ChunkOrder, $"{png.Length - offset} bytes follow the IEND chunk.");
        }
        var misplaced = chunks.FindIndex(1, c => c.Type == "IHDR");
        if (misplaced > 0)
        {
            return Fail(BakingErrorCode.ChunkOrder, $"chunk {misplaced + 1} is a second IHDR.");
        }
        return BakingResult<List<PngChunk>>.Success(chunks);
    }

    /// <summary>Writes a complete chunk (length, type, data, CRC) to <paramref name="output"/>.</summary>
    public static void Write(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        output.Write(header);
        output.Write(data);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(header[4..], data));
        output.Write(crc);
    }

    private static bool IsChunkType(ReadOnlySpan<byte> type)
    {
        foreach (var b in type)
        {
            if (!char.IsAsciiLetter((char)b))
            {
                return false;
            }
        }
        return true;
    }

    private static BakingResult<List<PngChunk>> Fail(BakingErrorCode code, string message) =>
        BakingResult<List<PngChunk>>.Failure(code, "PNG: " + message);
}
