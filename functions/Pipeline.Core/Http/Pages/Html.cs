using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Pipeline.Core.Http.Pages;

/// <summary>
/// Encoding helpers for the page templates. Everything that comes from a catalog, a learner, a partner or a
/// credential goes through <see cref="Text"/> (or a helper built on it) before it reaches HTML.
/// </summary>
internal static partial class Html
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Text for an element body or a quoted attribute value.</summary>
    public static string Text(string? value) => string.IsNullOrEmpty(value) ? "" : Encoder.Encode(value);

    /// <summary>An <c>href</c>/<c>src</c> value when it is http(s) or a relative path; null for anything else (<c>javascript:</c>, <c>data:</c>…).</summary>
    public static string? SafeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute))
        {
            return absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp ? Text(absolute.AbsoluteUri) : null;
        }
        return !url.Contains(':', StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) ? Text(url) : null;
    }

    /// <summary>A link when the URL is safe, else the text alone.</summary>
    public static string Link(string? url, string text) =>
        SafeUrl(url) is { } href ? $"<a href=\"{href}\">{Text(text)}</a>" : Text(text);

    /// <summary>A date for people ("14 January 2026", UTC) in a machine-readable <c>time</c> element.</summary>
    public static string Date(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        var machine = utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return $"<time datetime=\"{machine}\">{Text(utc.ToString("d MMMM yyyy", CultureInfo.InvariantCulture))}</time>";
    }

    /// <summary>
    /// A narrative (catalog criteria allow Markdown) as safe HTML: encoded first, then paragraphs on blank lines,
    /// line breaks, and <c>**strong**</c> — no other markup is ever produced.
    /// </summary>
    public static string Narrative(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var html = new StringBuilder();
        foreach (var paragraph in BlankLine().Split(text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim()))
        {
            var encoded = Text(paragraph.Trim());
            encoded = Strong().Replace(encoded, "<strong>$1</strong>");
            html.Append("<p>").Append(encoded.Replace("\n", "<br>", StringComparison.Ordinal)).Append("</p>");
        }
        return html.ToString();
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlankLine();

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Strong();
}
