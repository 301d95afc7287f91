using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;

namespace Pipeline.Core.Status;

/// <summary>
/// A W3C Bitstring Status List (REC 2025): at least 131,072 one-bit entries; index 0 is the most significant bit of
/// byte 0; a set bit means the status applies (for <c>revocation</c>: revoked). Encoded as
/// <c>u</c> + base64url-no-pad(GZIP(bitstring)).
/// </summary>
public sealed class BitstringStatusList
{
    /// <summary>The REC's minimum: 16 KB uncompressed, for herd privacy.</summary>
    public const int MinimumLength = 131_072;

    /// <summary>Largest decoded bitstring accepted by <see cref="Decode"/> by default: 16 MiB (134,217,728 entries).</summary>
    public const int DefaultMaxDecodedBytes = 16 * 1024 * 1024;

    private readonly byte[] _bits;

    public BitstringStatusList(int length = MinimumLength)
    {
        if (length < MinimumLength || length % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A status list has at least {MinimumLength} entries, a multiple of 8.");
        }
        _bits = new byte[length / 8];
    }

    private BitstringStatusList(byte[] bits) => _bits = bits;

    /// <summary>A list over a copy of <paramref name="bits"/> (index 0 = most significant bit of byte 0), at least the minimum length.</summary>
    public static BitstringStatusList FromBytes(ReadOnlySpan<byte> bits)
    {
        if (bits.Length * 8 < MinimumLength)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits.Length, $"A status list has at least {MinimumLength} entries ({MinimumLength / 8} bytes).");
        }
        return new BitstringStatusList(bits.ToArray());
    }

    /// <summary>A copy of the bitstring, <see cref="Length"/> / 8 bytes.</summary>
    public byte[] ToBytes() => (byte[])_bits.Clone();

    /// <summary>Number of entries.</summary>
    public int Length => _bits.Length * 8;

    public bool Get(int index)
    {
        CheckIndex(index);
        return (_bits[index >> 3] & (0x80 >> (index & 7))) != 0;
    }

    public void Set(int index, bool value = true)
    {
        CheckIndex(index);
        var mask = (byte)(0x80 >> (index & 7));
        _bits[index >> 3] = value ? (byte)(_bits[index >> 3] | mask) : (byte)(_bits[index >> 3] & ~mask);
    }

    /// <summary>The indexes whose bit is set, ascending.</summary>
    public IEnumerable<int> SetIndexes()
    {
        for (var i = 0; i < _bits.Length; i++)
        {
            if (_bits[i] == 0)
            {
                continue;
            }
            for (var bit = 0; bit < 8; bit++)
            {
                if ((_bits[i] & (0x80 >> bit)) != 0)
                {
                    yield return (i * 8) + bit;
                }
            }
        }
    }

    /// <summary>The <c>encodedList</c> value: multibase base64url (<c>u</c>) of the GZIP-compressed bitstring, no padding.</summary>
    public string Encode()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(_bits);
        }
        return "u" + Base64Url.EncodeToString(output.ToArray());
    }

    /// <summary>
    /// Decodes an <c>encodedList</c>. Errors are values: missing <c>u</c> prefix, bad base64url, bad GZIP, a decoded size
    /// over <paramref name="maxDecodedBytes"/> (never inflated further), or fewer than <see cref="MinimumLength"/>
    /// entries (the REC's STATUS_LIST_LENGTH_ERROR).
    /// </summary>
    public static StatusListDecodeResult Decode(string encodedList, int maxDecodedBytes = DefaultMaxDecodedBytes)
    {
        ArgumentNullException.ThrowIfNull(encodedList);
        if (!encodedList.StartsWith('u'))
        {
            return StatusListDecodeResult.Failure(
                StatusListErrorCode.NotMultibaseBase64Url,
                $"encodedList must start with the multibase prefix 'u' (base64url, no padding); found \"{(encodedList.Length == 0 ? "" : encodedList[..1])}\".");
        }
        var base64 = encodedList.AsSpan(1);
        if (base64.Contains('=') || !Base64Url.IsValid(base64, out var compressedLength))
        {
            return StatusListDecodeResult.Failure(StatusListErrorCode.InvalidBase64Url, "encodedList after 'u' is not base64url without padding.");
        }
        if (compressedLength > maxDecodedBytes)
        {
            return StatusListDecodeResult.Failure(StatusListErrorCode.TooLarge, $"encodedList holds {compressedLength} compressed bytes; the limit is {maxDecodedBytes}.");
        }
        var compressed = Base64Url.DecodeFromChars(base64);
        var buffer = new byte[maxDecodedBytes + 1];
        var total = 0;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            int read;
            while (total < buffer.Length && (read = gzip.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }
        }
        catch (InvalidDataException exception)
        {
            return StatusListDecodeResult.Failure(StatusListErrorCode.InvalidGzip, $"encodedList is not valid GZIP data: {exception.Message}");
        }
        if (total > maxDecodedBytes)
        {
            return StatusListDecodeResult.Failure(StatusListErrorCode.TooLarge, $"encodedList decompresses beyond {maxDecodedBytes} bytes.");
        }
        if (total * 8 < MinimumLength)
        {
            return StatusListDecodeResult.Failure(
                StatusListErrorCode.StatusListLengthError,
                $"STATUS_LIST_LENGTH_ERROR: the bitstring has {total * 8} entries ({total} bytes); the minimum is {MinimumLength}.");
        }
        return StatusListDecodeResult.Success(new BitstringStatusList(buffer[..total]));
    }

    private void CheckIndex(int index) => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Length, nameof(index));
}

public enum StatusListErrorCode
{
    NotMultibaseBase64Url,
    InvalidBase64Url,
    InvalidGzip,
    TooLarge,
    /// <summary>The REC's STATUS_LIST_LENGTH_ERROR: fewer entries than the minimum.</summary>
    StatusListLengthError,
}

public sealed record StatusListError(StatusListErrorCode Code, string Message);

public sealed class StatusListDecodeResult
{
    private StatusListDecodeResult(BitstringStatusList? list, StatusListError? error)
    {
        List = list;
        Error = error;
    }

    public BitstringStatusList? List { get; }
    public StatusListError? Error { get; }

    [MemberNotNullWhen(true, nameof(List))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public static StatusListDecodeResult Success(BitstringStatusList list) => new(list, null);
    public static StatusListDecodeResult Failure(StatusListErrorCode code, string message) => new(null, new StatusListError(code, message));

    public override string ToString() => Succeeded ? $"Success: {List.Length} entries" : $"Failure: {Error}";
}
