using System.Text;
using System.Xml;

namespace Pipeline.Core.Baking;

/// <summary>An Open Badges element found in an SVG: which version, its <c>verify</c> attribute, its text body, its span.</summary>
internal sealed record SvgBadgeElement(bool IsOb3, string? Verify, string Body, int Start, int End, int Line);

/// <summary>
/// What the baker needs to know about an SVG: the root start tag's span, whether the root binds the
/// <c>openbadges</c> prefix, and the Open Badges elements with their spans in the source text.
/// </summary>
internal sealed record SvgDocument(
    string RootName,
    int RootTagEnd,
    bool RootIsEmpty,
    string? RootOpenBadgesNamespace,
    IReadOnlyList<SvgBadgeElement> Badges)
{
    public const string Ob3Namespace = "https://purl.imsglobal.org/ob/v3p0";
    public const string Ob2Namespace = "http://openbadges.org";

    /// <summary>
    /// Parses <paramref name="text"/> as XML without DTD processing and without resolving anything. A DOCTYPE with only an
    /// external identifier (as design tools write for SVG 1.1) is skipped, never fetched; one with an internal subset
    /// (where entities are declared) is refused.
    /// </summary>
    public static BakingResult<SvgDocument> Parse(string text, UnbakingLimits limits)
    {
        if (text.Length > limits.MaxImageBytes)
        {
            return Fail(BakingErrorCode.ImageTooLarge, $"the document is {text.Length} characters; the limit is {limits.MaxImageBytes}.");
        }
        if (InternalSubsetLine(text) is { } dtdLine)
        {
            return Fail(BakingErrorCode.DtdNotAllowed, $"line {dtdLine}: the DOCTYPE declares an internal subset; entity and DTD declarations are not accepted.");
        }
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            MaxCharactersInDocument = limits.MaxImageBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        var lines = LineStarts(text);
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            var info = (IXmlLineInfo)reader;
            if (reader.MoveToContent() != XmlNodeType.Element)
            {
                return Fail(BakingErrorCode.NotXml, "the document has no root element.");
            }
            if (reader.LocalName != "svg")
            {
                return Fail(BakingErrorCode.NotSvg, $"line {info.LineNumber}: the root element is <{reader.Name}>; expected <svg>.");
            }
            var rootName = reader.Name;
            var rootStart = NameOffset(lines, info) - 1;
            var rootIsEmpty = reader.IsEmptyElement;
            var rootNamespace = reader.GetAttribute("xmlns:openbadges");
            var rootTagEnd = TagEnd(text, rootStart);
            var badges = new List<SvgBadgeElement>();
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }
                var isOb3 = reader.NamespaceURI == Ob3Namespace && reader.LocalName == "credential";
                var isOb2 = reader.NamespaceURI == Ob2Namespace && reader.LocalName == "assertion";
                if (!isOb3 && !isOb2)
                {
                    continue;
                }
                var line = info.LineNumber;
                var start = NameOffset(lines, info) - 1;
                var verify = reader.GetAttribute("verify");
                if (reader.IsEmptyElement)
                {
                    badges.Add(new SvgBadgeElement(isOb3, verify, string.Empty, start, TagEnd(text, start), line));
                    continue;
                }
                var body = ReadBody(reader, limits, out var tooLarge);
                if (tooLarge)
                {
                    return Fail(BakingErrorCode.PayloadTooLarge, $"line {line}: the <{(isOb3 ? "credential" : "assertion")}> body exceeds {limits.MaxTextBytes} characters.");
                }
                var endTagStart = NameOffset(lines, info) - 2;
                badges.Add(new SvgBadgeElement(isOb3, verify, body, start, TagEnd(text, endTagStart), line));
            }
            return BakingResult<SvgDocument>.Success(new SvgDocument(rootName, rootTagEnd, rootIsEmpty, rootNamespace, badges));
        }
        catch (XmlException exception)
        {
            // The parser's own message is not shown: it is the library's wording, not ours.
            return Fail(BakingErrorCode.NotXml, $"line {exception.LineNumber}, position {exception.LinePosition}: the SVG is not well-formed XML.");
        }
    }

    /// <summary>Decodes SVG bytes: UTF-8 (BOM optional) or UTF-16 with a BOM.</summary>
    public static BakingResult<string> Decode(ReadOnlySpan<byte> bytes, UnbakingLimits limits)
    {
        if (bytes.Length > limits.MaxImageBytes)
        {
            return BakingResult<string>.Failure(BakingErrorCode.ImageTooLarge, $"SVG: the file is {bytes.Length} bytes; the limit is {limits.MaxImageBytes}.");
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            var utf16 = bytes[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            return BakingResult<string>.Success(utf16.GetString(bytes[2..]));
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }
        return System.Text.Unicode.Utf8.IsValid(bytes)
            ? BakingResult<string>.Success(Encoding.UTF8.GetString(bytes))
            : BakingResult<string>.Failure(BakingErrorCode.InvalidUtf8, "SVG: the file is neither valid UTF-8 nor UTF-16 with a byte order mark.");
    }

    private static string ReadBody(XmlReader reader, UnbakingLimits limits, out bool tooLarge)
    {
        var depth = reader.Depth;
        var body = new StringBuilder();
        tooLarge = false;
        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.Depth == depth + 1 && reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                body.Append(reader.Value);
                tooLarge |= body.Length > limits.MaxTextBytes;
            }
        }
        return body.ToString();
    }

    /// <summary>The line of a DOCTYPE with an internal subset (<c>[</c> before the closing <c>&gt;</c>), or null.</summary>
    private static int? InternalSubsetLine(string text)
    {
        var doctype = text.IndexOf("<!DOCTYPE", StringComparison.Ordinal);
        var firstElement = FirstElementStart(text);
        if (doctype < 0 || (firstElement >= 0 && doctype > firstElement))
        {
            return null;
        }
        char? quote = null;
        for (var i = doctype + 9; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '[')
            {
                return 1 + text.AsSpan(0, doctype).Count('\n');
            }
            else if (c == '>')
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>Offset of the first '&lt;' followed by a name character: the root element, after the prolog.</summary>
    private static int FirstElementStart(string text)
    {
        for (var i = text.IndexOf('<', StringComparison.Ordinal); i >= 0 && i + 1 < text.Length; i = text.IndexOf('<', i + 1))
        {
            if (text[i + 1] is not ('?' or '!'))
            {
                return i;
            }
        }
        return -1;
    }

    private static List<int> LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
            }
            if (text[i] is '\n' or '\r')
            {
                starts.Add(i + 1);
            }
        }
        return starts;
    }

    /// <summary>Offset in the text of the name the reader is on (line info is 1-based and points at the name).</summary>
    private static int NameOffset(List<int> lines, IXmlLineInfo info) => lines[info.LineNumber - 1] + info.LinePosition - 1;

    /// <summary>Offset just after the '&gt;' closing the tag that starts at <paramref name="tagStart"/>; quoted values skipped.</summary>
    private static int TagEnd(string text, int tagStart)
    {
        char? quote = null;
        for (var i = tagStart + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return i + 1;
            }
        }
        throw new InvalidOperationException($"No end of the tag starting at offset {tagStart}; the XML reader accepted it, so this is a bug.");
    }

    private static BakingResult<SvgDocument> Fail(BakingErrorCode code, string message) =>
        BakingResult<SvgDocument>.Failure(code, "SVG: " + message);
}
