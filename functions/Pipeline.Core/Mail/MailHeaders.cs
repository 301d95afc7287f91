using System.Text;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Mail;

/// <summary>
/// Header text for every mailer (MIME for the outbox and SMTP, the JSON fields Communication Services turns into
/// headers). Text that reaches a header is made one line first (<see cref="OneLine"/>), whatever the ledger holds —
/// data from before the edge refused such names included — so it can never end a header and start another. A display
/// name of anything but ASCII letters, digits, spaces, apostrophes and hyphens is RFC 2047-encoded (UTF-8, base64), so
/// no parser has to guess at quoting, commas, angle brackets, a text that looks like an encoded-word, or non-ASCII.
/// </summary>
public static class MailHeaders
{
    /// <summary>UTF-8 bytes per encoded-word: 45 bytes are 60 base64 characters, 72 with the <c>=?utf-8?B?…?=</c> frame (RFC 2047: at most 75).</summary>
    private const int BytesPerWord = 45;

    /// <summary>
    /// The text as one line: control characters (CR, LF, NUL…), line and paragraph separators, bidirectional
    /// overrides and lone surrogates become spaces, runs of white space one space, trimmed; null when nothing is left.
    /// </summary>
    public static string? OneLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var line = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                line.Append(c).Append(text[++i]);
                continue;
            }
            var blank = char.IsWhiteSpace(c) || char.IsSurrogate(c) || TextFields.Forbidden(c) is not null;
            if (!blank)
            {
                line.Append(c);
            }
            else if (line.Length > 0 && line[^1] != ' ')
            {
                line.Append(' ');
            }
        }
        var result = line.ToString().TrimEnd();
        return result.Length == 0 ? null : result;
    }

    /// <summary>
    /// A mailbox header value (<c>To</c>, <c>From</c>): the display name as a plain phrase when it is only ASCII
    /// letters, digits, spaces, apostrophes and hyphens, else as RFC 2047 encoded-words, one per folded line; then
    /// <c>&lt;address&gt;</c>. Without a display name, the bare address.
    /// </summary>
    /// <exception cref="FormatException">The address holds white space, a control character or angle brackets: no header can carry it.</exception>
    public static string Mailbox(EmailAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Address.Length == 0 || address.Address.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or '"' or ',' || TextFields.Forbidden(c) is not null))
        {
            throw new FormatException($"The email address \"{TextFields.Visible(address.Address)}\" cannot be put in a mail header.");
        }
        return OneLine(address.DisplayName) is { } name
            ? $"{Phrase(name)}\r\n <{address.Address}>"
            : address.Address;
    }

    /// <summary>The name as it goes in a header: as is when it is plain words (ASCII letters, digits, <c>'</c>, <c>-</c>), else encoded-words.</summary>
    public static string Phrase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '\'' or '-'))
        {
            return name;
        }
        var words = new List<string>();
        var chunk = new List<byte>(BytesPerWord);
        Span<byte> buffer = stackalloc byte[4];
        foreach (var rune in name.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(buffer);
            if (chunk.Count + length > BytesPerWord)
            {
                words.Add(Word(chunk));
                chunk.Clear();
            }
            for (var i = 0; i < length; i++)
            {
                chunk.Add(buffer[i]);
            }
        }
        words.Add(Word(chunk));
        return string.Join("\r\n ", words);
    }

    private static string Word(List<byte> bytes) => "=?utf-8?B?" + Convert.ToBase64String([.. bytes]) + "?=";
}
