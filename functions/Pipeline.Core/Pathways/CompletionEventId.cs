using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

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

    public static string CanonicalForm(CompletionEvent completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        string[] fields =
        [
            Version,
            completion.Source.Trim(),
            completion.LearnerId.Trim(),
            completion.ActivityId.Trim(),
            completion.CompletedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
            completion.Outcome.ToString().ToLowerInvariant(),
            completion.Grade?.Trim() ?? string.Empty,
            completion.Score is { } score ? score.ToString("0.############################", CultureInfo.InvariantCulture) : string.Empty,
        ];
        return JsonSerializer.Serialize(fields, CanonicalJson.Options);
    }

    public static string Compute(CompletionEvent completion)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalForm(completion)));
        return Version + "-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
