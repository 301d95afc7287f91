namespace Pipeline.Core.Contracts;

/// <summary>
/// Whether a learner's email address, from a SIS file or a partner, is one a claim email can be sent to: a bare
/// <c>local@domain</c> in RFC 5322's dot-atom form (letters, digits and <c>!#$%&amp;'*+/=?^_`{|}~-</c>, dots between),
/// non-ASCII letters allowed (RFC 6531), a domain of dotted labels. Checked where addresses come in, so a row or item
/// with an address no mailer accepts (<c>&lt;script&gt;…@example.edu</c>, <c>"Ada" &lt;ada@x&gt;</c>) is rejected
/// there with the reason, instead of its claim email failing later.
/// </summary>
public static class EmailAddresses
{
    private const string AtomSpecials = "!#$%&'*+/=?^_`{|}~-";

    public static bool IsPlausible(string? address)
    {
        if (string.IsNullOrEmpty(address) || address.Length > 254)
        {
            return false;
        }
        var at = address.LastIndexOf('@');
        if (at <= 0 || at > 64 || at == address.Length - 1)
        {
            return false;
        }
        var local = address.AsSpan(0, at);
        var domain = address.AsSpan(at + 1);
        return DottedParts(local, c => char.IsAsciiLetterOrDigit(c) || AtomSpecials.Contains(c, StringComparison.Ordinal) || (c > 127 && char.IsLetterOrDigit(c)))
            && domain.Contains('.')
            && DottedParts(domain, c => char.IsAsciiLetterOrDigit(c) || c == '-' || (c > 127 && char.IsLetterOrDigit(c)));
    }

    private static bool DottedParts(ReadOnlySpan<char> text, Func<char, bool> allowed)
    {
        var partLength = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (partLength == 0)
                {
                    return false;
                }
                partLength = 0;
            }
            else if (allowed(c))
            {
                partLength++;
            }
            else
            {
                return false;
            }
        }
        return partLength > 0;
    }
}
