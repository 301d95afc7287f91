using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Json;

namespace Pipeline.Core.Pathways;

/// <summary>
/// The content-derived id of a <see cref="CompletionEvent"/>. Canonical form (documented in docs/catalog.md):
/// a JSON array of strings, UTF-8, no whitespace:
/// <c>["ce1", source, learnerId, activityId, completedAt, outcome, grade, score]</c> where text fields are
/// trimmed, <c>completedAt</c> is UTC <c>yyyy-MM-ddTHH:mm:ss.FFFFFFFZ</c> (trailing zero fractions dropped),
/// <c>outcome</c> is lower case, a missing grade or score is the empty string, and the score is written
/// in invariant culture without trailing zeros. The id is <c>ce1-</c> + the first 16 bytes of the SHA-256
/// of that array, lower-case hex.
/// </summary>
public static class CompletionEventId
{
    public const string Version = "ce1";

    /// <summary>The id's hash bytes: the first 16 of the SHA-256.</summary>
    internal const int HashLength = 16;

    private const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";
    private const string ScoreFormat = "0.############################";

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = CanonicalJson.Options.Encoder };

    /// <summary>One writer and buffer per thread: ingest hashes every row, and the canonical form is short.</summary>
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json)? t_writer;

    public static string CanonicalForm(CompletionEvent completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return Encoding.UTF8.GetString(Write(completion));
    }

    public static string Compute(CompletionEvent completion)
    {
        Span<byte> hash = stackalloc byte[HashLength];
        ComputeHash(completion, hash);
        return Format(hash);
    }

    /// <summary>Writes the id's 16 hash bytes (<see cref="Format"/> makes them the id) without allocating.</summary>
    internal static void ComputeHash(CompletionEvent completion, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(completion);
        Span<byte> sha = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Write(completion), sha);
        sha[..HashLength].CopyTo(destination);
    }

    /// <summary><c>ce1-</c> + the hash bytes in lower-case hex.</summary>
    internal static string Format(ReadOnlySpan<byte> hash)
    {
        var high = BinaryPrimitives.ReadUInt64BigEndian(hash);
        var low = BinaryPrimitives.ReadUInt64BigEndian(hash[8..]);
        return string.Create(Version.Length + 1 + 2 * HashLength, (high, low), static (chars, value) =>
        {
            Version.AsSpan().CopyTo(chars);
            chars[Version.Length] = '-';
            Span<byte> bytes = stackalloc byte[HashLength];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, value.high);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], value.low);
            Convert.TryToHexStringLower(bytes, chars[(Version.Length + 1)..], out _);
        });
    }

    /// <summary>The canonical form as UTF-8, valid until the next call on this thread.</summary>
    private static ReadOnlySpan<byte> Write(CompletionEvent completion)
    {
        var (buffer, json) = t_writer ??= (new ArrayBufferWriter<byte>(256), new Utf8JsonWriter(Stream.Null, WriterOptions));
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartArray();
        json.WriteStringValue(Version);
        json.WriteStringValue(completion.Source.AsSpan().Trim());
        json.WriteStringValue(completion.LearnerId.AsSpan().Trim());
        json.WriteStringValue(completion.ActivityId.AsSpan().Trim());
        Span<char> text = stackalloc char[64];
        if (!completion.CompletedAt.UtcDateTime.TryFormat(text, out var length, DateFormat, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A UTC date in the canonical format is at most 28 characters.");
        }
        json.WriteStringValue(text[..length]);
        json.WriteStringValue(Outcome(completion.Outcome));
        json.WriteStringValue(completion.Grade is { } grade ? grade.AsSpan().Trim() : []);
        if (completion.Score is { } score)
        {
            if (!score.TryFormat(text, out length, ScoreFormat, CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException("A decimal in the canonical format is at most 31 characters.");
            }
            json.WriteStringValue(text[..length]);
        }
        else
        {
            json.WriteStringValue(ReadOnlySpan<char>.Empty);
        }
        json.WriteEndArray();
        json.Flush();
        return buffer.WrittenSpan;
    }

    private static string Outcome(CompletionOutcome outcome) => outcome switch
    {
        CompletionOutcome.Completed => "completed",
        CompletionOutcome.Passed => "passed",
        CompletionOutcome.Failed => "failed",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
