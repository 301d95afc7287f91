using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Pipeline.Core.Baking;

namespace Pipeline.Core.Tests.TestData;

/// <summary>Builds PNG byte sequences chunk by chunk, with correct CRCs unless told otherwise.</summary>
internal sealed class PngBuilder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly List<byte> _bytes = [];

    public PngBuilder() => _bytes.AddRange(Signature);

    /// <summary>A 1×1 greyscale PNG: IHDR, IDAT, then whatever is added, then <see cref="End"/>.</summary>
    public static PngBuilder Minimal() => new PngBuilder()
        .Chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
        .Chunk("IDAT", ZlibOf([0, 0]));

    public PngBuilder Chunk(string type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        _bytes.AddRange(header);
        _bytes.AddRange(data);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(header[4..], data));
        _bytes.AddRange(crc);
        return this;
    }

    /// <summary>A chunk header declaring <paramref name="declaredLength"/> bytes, followed by nothing.</summary>
    public PngBuilder Header(string type, uint declaredLength)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, declaredLength);
        Encoding.ASCII.GetBytes(type, header[4..]);
        _bytes.AddRange(header);
        return this;
    }

    public PngBuilder Itxt(string keyword, ReadOnlySpan<byte> text, bool compressed = false) =>
        Chunk("iTXt", [.. Encoding.ASCII.GetBytes(keyword), 0, (byte)(compressed ? 1 : 0), 0, 0, 0, .. text]);

    public PngBuilder Text(string keyword, string text) =>
        Chunk("tEXt", [.. Encoding.ASCII.GetBytes(keyword), 0, .. Encoding.Latin1.GetBytes(text)]);

    public PngBuilder End() => Chunk("IEND", []);

    public byte[] ToArray() => _bytes.ToArray();

    public static byte[] ZlibOf(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(data);
        }
        return output.ToArray();
    }
}
