using System.Text.Json;

namespace Pipeline.Core.Contracts;

/// <summary>
/// A cheap, conservative check of docs/schemas/record-completion.v1.schema.json, written out by hand: when it says
/// <c>true</c> the message matches the schema (every keyword of the schema is checked, each at least as strictly as the
/// schema asks); when it says <c>false</c> the caller runs the full evaluation, which decides and words the error. So
/// the errors stay the schema evaluator's, and the common, valid message skips building evaluation results.
/// Stricter than the schema where that keeps the check simple: a repeated property name, an ASCII-only reading of
/// <c>\d</c>, no line break before the end of a pattern anchored with <c>$</c>, <c>schemaVersion</c> written as <c>1</c>.
/// A change to the schema file must be made here too (tests compare the two on valid and mutated messages).
/// </summary>
internal static class RecordCompletionV1Check
{
    private static readonly string[] Outcomes = ["Completed", "Passed", "Failed", "completed", "passed", "failed"];

    public static bool Matches(JsonElement message)
    {
        try
        {
            return message.ValueKind == JsonValueKind.Object && MatchesRoot(message);
        }
        catch (InvalidOperationException)
        {
            // A string the reader cannot decode (such as a lone surrogate escape): the full evaluation decides.
            return false;
        }
    }

    private static bool MatchesRoot(JsonElement message)
    {
        var seen = 0;
        foreach (var property in message.EnumerateObject())
        {
            var (bit, valid) = property.Name switch
            {
                "schemaVersion" => (1, property.Value.ValueKind == JsonValueKind.Number && property.Value.GetRawText() == "1"),
                "correlationId" => (2, IsText(property.Value)),
                "completion" => (4, property.Value.ValueKind == JsonValueKind.Object && MatchesCompletion(property.Value)),
                "learner" => (8, property.Value.ValueKind == JsonValueKind.Object && MatchesLearner(property.Value)),
                _ => (0, false),
            };
            if (!valid || (seen & bit) != 0)
            {
                return false;
            }
            seen |= bit;
        }
        return seen == 15;
    }

    private static bool MatchesCompletion(JsonElement completion)
    {
        const int Required = 31;
        var seen = 0;
        foreach (var property in completion.EnumerateObject())
        {
            var value = property.Value;
            var (bit, valid) = property.Name switch
            {
                "source" => (1, IsText(value)),
                "learnerId" => (2, IsText(value)),
                "activityId" => (4, IsText(value)),
                "completedAt" => (8, value.ValueKind == JsonValueKind.String && IsDateTimeWithOffset(value.GetString()!)),
                "outcome" => (16, value.ValueKind == JsonValueKind.String && Outcomes.Contains(value.GetString(), StringComparer.Ordinal)),
                "grade" => (32, value.ValueKind == JsonValueKind.String),
                "score" => (64, value.ValueKind == JsonValueKind.Number),
                "id" => (128, value.ValueKind == JsonValueKind.String),
                _ => (0, false),
            };
            if (!valid || (seen & bit) != 0)
            {
                return false;
            }
            seen |= bit;
        }
        return (seen & Required) == Required;
    }

    private static bool MatchesLearner(JsonElement learner)
    {
        const int Required = 3;
        var seen = 0;
        foreach (var property in learner.EnumerateObject())
        {
            var value = property.Value;
            var (bit, valid) = property.Name switch
            {
                "learnerId" => (1, IsText(value)),
                "email" => (2, value.ValueKind == JsonValueKind.String && IsEmail(value.GetString()!)),
                "givenName" => (4, value.ValueKind == JsonValueKind.String),
                "familyName" => (8, value.ValueKind == JsonValueKind.String),
                "displayName" => (16, value.ValueKind == JsonValueKind.String),
                _ => (0, false),
            };
            if (!valid || (seen & bit) != 0)
            {
                return false;
            }
            seen |= bit;
        }
        return (seen & Required) == Required;
    }

    /// <summary><c>$defs/text</c>: a string with a character that is not white space (pattern <c>\S</c>).</summary>
    private static bool IsText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString()!.AsSpan().ContainsAnyExcept(WhiteSpace.Chars);

    /// <summary><c>^[^@\s]+@[^@\s]+$</c>: one '@' with something on each side, no white space.</summary>
    private static bool IsEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < value.Length - 1
            && value.IndexOf('@', at + 1) < 0
            && !value.AsSpan().ContainsAny(WhiteSpace.Chars);
    }

    /// <summary><c>^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$</c>, with ASCII digits.</summary>
    private static bool IsDateTimeWithOffset(string value)
    {
        var s = value.AsSpan();
        if (s.Length < 20 || !Digits(s[..4]) || s[4] != '-' || !Digits(s.Slice(5, 2)) || s[7] != '-' || !Digits(s.Slice(8, 2))
            || s[10] != 'T' || !Digits(s.Slice(11, 2)) || s[13] != ':' || !Digits(s.Slice(14, 2)) || s[16] != ':' || !Digits(s.Slice(17, 2)))
        {
            return false;
        }
        var rest = s[19..];
        if (rest[0] == '.')
        {
            var fraction = rest[1..].IndexOfAnyExceptInRange('0', '9');
            if (fraction <= 0)
            {
                return false;
            }
            rest = rest[(1 + fraction)..];
        }
        return rest is "Z"
            || (rest.Length == 6 && rest[0] is '+' or '-' && Digits(rest.Slice(1, 2)) && rest[3] == ':' && Digits(rest.Slice(4, 2)));
    }

    private static bool Digits(ReadOnlySpan<char> s) => !s.ContainsAnyExceptInRange('0', '9');

    /// <summary>Every character <see cref="char.IsWhiteSpace(char)"/> calls white space, which is the set .NET's <c>\s</c> matches.</summary>
    private static class WhiteSpace
    {
        public static readonly System.Buffers.SearchValues<char> Chars = System.Buffers.SearchValues.Create(
            [.. Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(char.IsWhiteSpace)]);
    }
}
