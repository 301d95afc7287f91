using QRCoder;

namespace Pipeline.Core.Http.Pages;

/// <summary>A QR code as an inline SVG element (no script, no data URI, so the pages' CSP stays as strict as it is).</summary>
internal static class QrCode
{
    /// <summary>An <c>&lt;svg role="img"&gt;</c> encoding <paramref name="url"/>, labelled by <paramref name="label"/> for screen readers.</summary>
    public static string Svg(Uri url, string label)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url.AbsoluteUri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return "<svg class=\"qr\" role=\"img\" aria-label=\"" + Html.Text(label) + "\"" + svg[(start + "<svg".Length)..];
    }
}
