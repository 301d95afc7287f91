using System.Globalization;
using System.Text;
using ADRaffy.ENSNormalize;

namespace Pipeline.Core.Contracts;

/// <summary>
/// The one rule for free text that comes in from outside (SIS cells, webhook items): names, ids, grades. A value is
/// normalised to Unicode NFC and accepted only when it is well-formed (no lone surrogate), holds no control character
/// (U+0000–U+001F, U+007F–U+009F: CR, LF, NUL, tab, …), no line or paragraph separator (U+2028, U+2029) and no
/// bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069), and is at most its field's length in
/// characters (Unicode scalar values, after NFC). Anything else is refused, never stripped: the row or item is
/// rejected with the field named (docs/sis-ingest.md, docs/integrations.md).
/// </summary>
public static class TextFields
{
    /// <summary>Given, family or full names.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Learner and activity ids (ours, a SIS's, or a partner's, IRIs included).</summary>
    public const int MaxIdLength = 256;

    /// <summary>A letter or named grade.</summary>
    public const int MaxGradeLength = 64;

    /// <summary>The value normalised to NFC, or null with <paramref name="problem"/> saying what was expected (for "expected …, found …").</summary>
    public static string? Normalise(string value, int maxLength, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])))
            {
                problem = $"well-formed Unicode text (a lone surrogate U+{(int)c:X4} at character {i + 1})";
                return null;
            }
            if (char.IsHighSurrogate(c))
            {
                i++;
                continue;
            }
            if (Forbidden(c) is { } kind)
            {
                problem = $"text without {kind} (U+{(int)c:X4} at character {i + 1})";
                return null;
            }
        }
        var normalised = IsLatinBelowCombiningMarks(value) ? value : ENSNormalize.NF.NFC(value);
        var length = normalised.EnumerateRunes().Count();
        if (length > maxLength)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"at most {maxLength} characters ({length} found)");
            return null;
        }
        problem = null;
        return normalised;
    }

    /// <summary>
    /// The value as it can be shown in a report or log line: forbidden characters as <c>&lt;U+000A&gt;</c>, lone
    /// surrogates as <c>&lt;U+D800&gt;</c>, cut after 80 characters with the full length said.
    /// </summary>
    public static string Visible(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(Math.Min(value.Length, 100));
        for (var i = 0; i < value.Length && text.Length < 80; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
            }
            else if (char.IsSurrogate(c) || Forbidden(c) is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"<U+{(int)c:X4}>");
            }
            else
            {
                text.Append(c);
            }
        }
        return text.Length >= 80 && value.Length > 80
            ? text.ToString() + string.Create(CultureInfo.InvariantCulture, $"… ({value.Length} characters)")
            : text.ToString();
    }

    /// <summary>
    /// Text of characters below U+0300 is in NFC already: none of them decomposes, and nothing composes with them
    /// without a combining mark (U+0300 and up). Most names and ids are, and skip the normaliser. The normaliser is
    /// not <see cref="string.Normalize()"/>: with InvariantGlobalization (both hosts) that returns its input.
    /// </summary>
    private static bool IsLatinBelowCombiningMarks(string value)
    {
        foreach (var c in value)
        {
            if (c >= '\u0300')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>What kind of forbidden character <paramref name="c"/> is, or null when it is allowed.</summary>
    public static string? Forbidden(char c) => c switch
    {
        <= '\u001F' or (>= '\u007F' and <= '\u009F') => "control characters",
        '\u2028' or '\u2029' => "line or paragraph separators",
        (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') => "bidirectional overrides or isolates",
        _ => null,
    };
}
