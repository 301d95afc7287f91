using System.Text;
using System.Text.Json;

namespace Pipeline.Core.Baking;

/// <summary>
/// Bakes a credential into an SVG and reads it back (OB 3.0 Baked Badge; OB 2.0 Baking Specification).
/// Baking edits the source text in place: it adds <c>xmlns:openbadges</c> to <c>&lt;svg&gt;</c> when missing, inserts one
/// element right after the <c>&lt;svg&gt;</c> start tag and removes an earlier one of the same version; nothing else moves.
/// </summary>
public static class SvgBakery
{
    public const string Ob3Namespace = SvgDocument.Ob3Namespace;
    public const string Ob2Namespace = SvgDocument.Ob2Namespace;

    /// <summary>Bakes into SVG bytes (UTF-8 or UTF-16 with BOM); returns UTF-8 without a BOM.</summary>
    public static BakingResult<byte[]> Bake(ReadOnlySpan<byte> svg, BakedCredential credential, bool keepOtherVersion = true, UnbakingLimits? limits = null)
    {
        limits ??= UnbakingLimits.Default;
        var text = SvgDocument.Decode(svg, limits);
        if (!text.Succeeded)
        {
            return BakingResult<byte[]>.Failure(text.Error);
        }
        var baked = Bake(text.Value, credential, keepOtherVersion, limits);
        return baked.Succeeded
            ? BakingResult<byte[]>.Success(new UTF8Encoding(false).GetBytes(baked.Value))
            : BakingResult<byte[]>.Failure(baked.Error);
    }

    /// <summary>
    /// Returns <paramref name="svg"/> carrying <paramref name="credential"/>: VC-JWT and OB 2.0 JWS/URL in a
    /// <c>verify</c> attribute, JSON in a CDATA body. An element of the other Open Badges version is kept unless
    /// <paramref name="keepOtherVersion"/> is false. A bad source document is an error value; a malformed payload throws.
    /// </summary>
    public static BakingResult<string> Bake(string svg, BakedCredential credential, bool keepOtherVersion = true, UnbakingLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(svg);
        limits ??= UnbakingLimits.Default;
        BakedPayload.EnsureBakeable(credential, limits);
        var parsed = SvgDocument.Parse(svg, limits);
        if (!parsed.Succeeded)
        {
            return BakingResult<string>.Failure(parsed.Error);
        }
        var document = parsed.Value;
        var ns = credential.IsOb3 ? Ob3Namespace : Ob2Namespace;
        var text = new StringBuilder(svg);
        foreach (var badge in document.Badges.Where(b => b.IsOb3 == credential.IsOb3 || !keepOtherVersion).OrderByDescending(b => b.Start))
        {
            var start = StartOfLeadingWhitespace(svg, badge.Start, document.RootTagEnd);
            text.Remove(start, badge.End - start);
        }
        var rootBindsOurs = document.RootOpenBadgesNamespace == ns;
        var rootBindsOther = document.RootOpenBadgesNamespace is not null && !rootBindsOurs;
        var element = Element(credential, ns, declareNamespace: rootBindsOther);
        if (document.RootIsEmpty)
        {
            var slash = svg.LastIndexOf('/', document.RootTagEnd - 1);
            text.Remove(slash, document.RootTagEnd - slash);
            text.Insert(slash, $">\n{element}\n</{document.RootName}>");
        }
        else
        {
            text.Insert(document.RootTagEnd, "\n" + element);
        }
        if (document.RootOpenBadgesNamespace is null)
        {
            var close = document.RootIsEmpty ? svg.LastIndexOf('/', document.RootTagEnd - 1) : document.RootTagEnd - 1;
            text.Insert(close, $" xmlns:openbadges=\"{ns}\"");
        }
        return BakingResult<string>.Success(text.ToString());
    }

    /// <summary>Reads the credential out of SVG bytes (UTF-8, or UTF-16 with a BOM).</summary>
    public static BakingResult<BakedCredential> Unbake(ReadOnlySpan<byte> svg, UnbakingLimits? limits = null)
    {
        limits ??= UnbakingLimits.Default;
        var text = SvgDocument.Decode(svg, limits);
        return text.Succeeded ? Unbake(text.Value, limits) : BakingResult<BakedCredential>.Failure(text.Error);
    }

    /// <summary>
    /// Reads the credential: the first <c>credential</c> element in the OB 3.0 namespace, else the first <c>assertion</c>
    /// element in the OB 2.0 namespace. OB 3.0: <c>verify</c> (VC-JWT) or the JSON body. OB 2.0: the JSON body if there is
    /// one, else <c>verify</c> (JWS or hosted assertion URL).
    /// </summary>
    public static BakingResult<BakedCredential> Unbake(string svg, UnbakingLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(svg);
        limits ??= UnbakingLimits.Default;
        var parsed = SvgDocument.Parse(svg, limits);
        if (!parsed.Succeeded)
        {
            return BakingResult<BakedCredential>.Failure(parsed.Error);
        }
        var badges = parsed.Value.Badges;
        var badge = badges.FirstOrDefault(b => b.IsOb3) ?? (badges.Count > 0 ? badges[0] : null);
        if (badge is null)
        {
            return BakingResult<BakedCredential>.Failure(
                BakingErrorCode.NoCredential,
                $"SVG: no <credential> element in namespace {Ob3Namespace} (OB 3.0) nor <assertion> in {Ob2Namespace} (OB 2.0).");
        }
        var where = $"SVG line {badge.Line}, <openbadges:{(badge.IsOb3 ? "credential" : "assertion")}>";
        var verify = badge.Verify?.Trim() ?? string.Empty;
        var body = badge.Body.Trim();
        if (verify.Length > limits.MaxTextBytes)
        {
            return BakingResult<BakedCredential>.Failure(BakingErrorCode.PayloadTooLarge, $"{where}: the verify attribute exceeds {limits.MaxTextBytes} characters.");
        }
        if (badge.IsOb3)
        {
            return verify.Length > 0
                ? BakedPayload.Classify(verify, ob3: true, where + " verify attribute")
                : BakedPayload.Classify(body, ob3: true, where + " body");
        }
        return body.Length > 0 || verify.Length == 0
            ? BakedPayload.Classify(body, ob3: false, where + " body")
            : BakedPayload.Classify(verify, ob3: false, where + " verify attribute");
    }

    private static string Element(BakedCredential credential, string ns, bool declareNamespace)
    {
        var name = credential.IsOb3 ? "openbadges:credential" : "openbadges:assertion";
        var declaration = declareNamespace ? $" xmlns:openbadges=\"{ns}\"" : string.Empty;
        var payload = credential.Payload;
        return credential.Format switch
        {
            BakedCredentialFormat.Ob3Json => $"<{name}{declaration}>{Cdata(payload)}</{name}>",
            BakedCredentialFormat.Ob2Json => HostedId(payload) is { } id
                ? $"<{name}{declaration} verify=\"{EscapeAttribute(id)}\">{Cdata(payload)}</{name}>"
                : $"<{name}{declaration}>{Cdata(payload)}</{name}>",
            _ => $"<{name}{declaration} verify=\"{EscapeAttribute(payload)}\"></{name}>",
        };
    }

    /// <summary>The <c>id</c> of an OB 2.0 hosted assertion, which its <c>verify</c> attribute repeats.</summary>
    private static string? HostedId(string assertionJson)
    {
        using var json = JsonDocument.Parse(assertionJson);
        return json.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            && Uri.TryCreate(id.GetString(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? id.GetString()
            : null;
    }

    /// <summary>A CDATA section; a "]]&gt;" inside the text is split across two sections.</summary>
    private static string Cdata(string text) => "<![CDATA[" + text.Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal) + "]]>";

    private static string EscapeAttribute(string value) => value
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal);

    /// <summary>Start of the spaces, tabs and (one) line break right before an element, not reaching into the root tag.</summary>
    private static int StartOfLeadingWhitespace(string text, int elementStart, int floor)
    {
        var start = elementStart;
        while (start > floor && text[start - 1] is ' ' or '\t')
        {
            start--;
        }
        if (start > floor && text[start - 1] == '\n')
        {
            start--;
            if (start > floor && text[start - 1] == '\r')
            {
                start--;
            }
        }
        return start;
    }
}
