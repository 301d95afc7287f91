using System.IO.Compression;
using System.Text;
using System.Text.Unicode;

namespace Pipeline.Core.Baking;

/// <summary>
/// Bakes a credential into a PNG and reads it back (OB 3.0 Baked Badge; OB 2.0 Baking Specification).
/// OB 3.0: one uncompressed <c>iTXt</c> chunk with keyword <c>openbadgecredential</c>, just before <c>IEND</c>.
/// OB 2.0: the same with keyword <c>openbadges</c>. Every other chunk is copied byte for byte.
/// </summary>
public static class PngBakery
{
    public const string Ob3Keyword = "openbadgecredential";
    public const string Ob2Keyword = "openbadges";

    /// <summary>True when the bytes start with the PNG signature.</summary>
    public static bool HasPngSignature(ReadOnlySpan<byte> data) =>
        data.Length >= PngChunks.Signature.Length && data[..PngChunks.Signature.Length].SequenceEqual(PngChunks.Signature);

    /// <summary>
    /// Returns a copy of <paramref name="png"/> carrying <paramref name="credential"/>. Any text chunk already using the
    /// same keyword is removed (re-baking replaces). A credential of the other Open Badges version is kept unless
    /// <paramref name="keepOtherVersion"/> is false. A bad source image is an error value; a malformed payload throws.
    /// </summary>
    public static BakingResult<byte[]> Bake(ReadOnlySpan<byte> png, BakedCredential credential, bool keepOtherVersion = true, UnbakingLimits? limits = null)
    {
        limits ??= UnbakingLimits.Default;
        BakedPayload.EnsureBakeable(credential, limits);
        var read = PngChunks.Read(png, limits);
        if (!read.Succeeded)
        {
            return BakingResult<byte[]>.Failure(read.Error);
        }
        var keyword = credential.IsOb3 ? Ob3Keyword : Ob2Keyword;
        var otherKeyword = credential.IsOb3 ? Ob2Keyword : Ob3Keyword;
        using var output = new MemoryStream(png.Length + credential.Payload.Length * 3 + 64);
        output.Write(PngChunks.Signature);
        foreach (var chunk in read.Value)
        {
            if (chunk.Type == "IEND")
            {
                PngChunks.Write(output, "iTXt", ItxtData(keyword, credential.Payload));
            }
            var chunkKeyword = chunk.IsText ? KeywordOf(png.Slice(chunk.DataOffset, chunk.DataLength)) : null;
            if (chunkKeyword == keyword || (!keepOtherVersion && chunkKeyword == otherKeyword))
            {
                continue;
            }
            output.Write(png.Slice(chunk.Offset, chunk.TotalLength));
        }
        return BakingResult<byte[]>.Success(output.ToArray());
    }

    /// <summary>
    /// Reads the credential out of a PNG: the first <c>openbadgecredential</c> text chunk (OB 3.0), else the first
    /// <c>openbadges</c> one (OB 2.0). The whole file is validated first (signature, lengths, CRCs, order, limits).
    /// </summary>
    public static BakingResult<BakedCredential> Unbake(ReadOnlySpan<byte> png, UnbakingLimits? limits = null)
    {
        limits ??= UnbakingLimits.Default;
        var read = PngChunks.Read(png, limits);
        if (!read.Succeeded)
        {
            return BakingResult<BakedCredential>.Failure(read.Error);
        }
        PngChunk? ob3 = null;
        PngChunk? ob2 = null;
        foreach (var chunk in read.Value.Where(c => c.IsText))
        {
            var keyword = KeywordOf(png.Slice(chunk.DataOffset, chunk.DataLength));
            if (keyword == Ob3Keyword && ob3 is null)
            {
                ob3 = chunk;
            }
            else if (keyword == Ob2Keyword && ob2 is null)
            {
                ob2 = chunk;
            }
        }
        if ((ob3 ?? ob2) is not { } found)
        {
            return BakingResult<BakedCredential>.Failure(
                BakingErrorCode.NoCredential,
                $"PNG: no text chunk with keyword \"{Ob3Keyword}\" (OB 3.0) or \"{Ob2Keyword}\" (OB 2.0) among {read.Value.Count} chunks.");
        }
        var where = $"PNG chunk {found.Ordinal} ({found.Type} \"{(ob3 is null ? Ob2Keyword : Ob3Keyword)}\")";
        var text = TextOf(found, png.Slice(found.DataOffset, found.DataLength), limits, where);
        return text.Succeeded
            ? BakedPayload.Classify(text.Value, ob3 is not null, where)
            : BakingResult<BakedCredential>.Failure(text.Error);
    }

    private static byte[] ItxtData(string keyword, string text)
    {
        var keywordBytes = Encoding.ASCII.GetBytes(keyword);
        var textBytes = Encoding.UTF8.GetBytes(text);
        var data = new byte[keywordBytes.Length + 5 + textBytes.Length];
        keywordBytes.CopyTo(data, 0);
        // Bytes keyword.Length .. +4 stay zero: keyword terminator, compression flag 0, method 0,
        // empty language tag terminator, empty translated keyword terminator.
        textBytes.CopyTo(data, keywordBytes.Length + 5);
        return data;
    }

    /// <summary>The keyword of a tEXt/zTXt/iTXt chunk (1–79 Latin-1 bytes before a NUL), or null if there is none.</summary>
    private static string? KeywordOf(ReadOnlySpan<byte> data)
    {
        var end = data[..Math.Min(data.Length, 80)].IndexOf((byte)0);
        return end < 1 ? null : Encoding.Latin1.GetString(data[..end]);
    }

    private static BakingResult<string> TextOf(PngChunk chunk, ReadOnlySpan<byte> data, UnbakingLimits limits, string where)
    {
        var rest = data[(data.IndexOf((byte)0) + 1)..];
        switch (chunk.Type)
        {
            case "tEXt":
                return BakingResult<string>.Success(Encoding.Latin1.GetString(rest));
            case "zTXt":
                if (rest.Length < 1 || rest[0] != 0)
                {
                    return UnsupportedMethod(where, rest.Length < 1 ? -1 : rest[0]);
                }
                var inflated = Inflate(rest[1..], limits, where);
                return inflated.Succeeded
                    ? BakingResult<string>.Success(Encoding.Latin1.GetString(inflated.Value))
                    : BakingResult<string>.Failure(inflated.Error);
            default:
                return ItxtText(rest, limits, where);
        }
    }

    private static BakingResult<string> ItxtText(ReadOnlySpan<byte> rest, UnbakingLimits limits, string where)
    {
        if (rest.Length < 2)
        {
            return Malformed(where, "the chunk ends before the compression flag and method.");
        }
        var flag = rest[0];
        var method = rest[1];
        rest = rest[2..];
        var languageEnd = rest.IndexOf((byte)0);
        if (languageEnd < 0)
        {
            return Malformed(where, "the language tag has no NUL terminator.");
        }
        rest = rest[(languageEnd + 1)..];
        var translatedEnd = rest.IndexOf((byte)0);
        if (translatedEnd < 0)
        {
            return Malformed(where, "the translated keyword has no NUL terminator.");
        }
        var textBytes = rest[(translatedEnd + 1)..];
        byte[]? inflated = null;
        switch (flag)
        {
            case 0:
                break;
            case 1 when method == 0:
                var result = Inflate(textBytes, limits, where);
                if (!result.Succeeded)
                {
                    return BakingResult<string>.Failure(result.Error);
                }
                inflated = result.Value;
                break;
            case 1:
                return UnsupportedMethod(where, method);
            default:
                return Malformed(where, $"compression flag is {flag}; expected 0 or 1.");
        }
        ReadOnlySpan<byte> utf8 = inflated ?? textBytes;
        if (!Utf8.IsValid(utf8))
        {
            return BakingResult<string>.Failure(BakingErrorCode.InvalidUtf8, $"{where}: the text is not valid UTF-8.");
        }
        return BakingResult<string>.Success(Encoding.UTF8.GetString(utf8));
    }

    /// <summary>Inflates zlib data, never producing more than <see cref="UnbakingLimits.MaxTextBytes"/> bytes.</summary>
    private static BakingResult<byte[]> Inflate(ReadOnlySpan<byte> compressed, UnbakingLimits limits, string where)
    {
        var buffer = new byte[limits.MaxTextBytes + 1];
        var total = 0;
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed.ToArray(), writable: false), CompressionMode.Decompress);
            int read;
            while (total < buffer.Length && (read = zlib.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }
        }
        catch (InvalidDataException)
        {
            return BakingResult<byte[]>.Failure(BakingErrorCode.InvalidCompressedData, $"{where}: the compressed text is corrupt (not valid zlib data).");
        }
        if (total > limits.MaxTextBytes)
        {
            return BakingResult<byte[]>.Failure(
                BakingErrorCode.CompressedTextTooLarge,
                $"{where}: the compressed text inflates beyond {limits.MaxTextBytes} bytes.");
        }
        return BakingResult<byte[]>.Success(buffer[..total]);
    }

    private static BakingResult<string> Malformed(string where, string what) =>
        BakingResult<string>.Failure(BakingErrorCode.MalformedTextChunk, $"{where}: {what}");

    private static BakingResult<string> UnsupportedMethod(string where, int method) =>
        BakingResult<string>.Failure(
            BakingErrorCode.UnsupportedCompression,
            method < 0 ? $"{where}: the compression method byte is missing." : $"{where}: compression method {method}; only 0 (zlib deflate) is defined.");
}
