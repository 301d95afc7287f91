using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Pipeline.Core.Http;

/// <summary>How the public endpoints answer: bodies with their content type and the headers every kind of response carries.</summary>
internal static class Responses
{
    /// <summary>Pages load nothing from elsewhere: inline CSS, images from this origin, no script, forms post here only.</summary>
    public const string PageSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>An SVG opened on its own runs nothing and loads nothing.</summary>
    public const string SvgSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

    /// <summary>How long public documents that change rarely (profiles, keys, status lists) may be cached, in seconds.</summary>
    public const int ShortCacheSeconds = 300;

    /// <summary>How long immutable files (issued credentials, images) may be cached, in seconds.</summary>
    public const int LongCacheSeconds = 86_400;

    public static IResult Json(JsonNode body, string contentType, int? cacheSeconds = ShortCacheSeconds, int statusCode = StatusCodes.Status200OK) =>
        Bytes(Encoding.UTF8.GetBytes(body.ToJsonString()), contentType, cacheSeconds, statusCode);

    public static IResult Bytes(ReadOnlyMemory<byte> content, string contentType, int? cacheSeconds, int statusCode = StatusCodes.Status200OK)
    {
        var headers = new List<KeyValuePair<string, string>> { new("X-Content-Type-Options", "nosniff") };
        if (cacheSeconds is { } seconds)
        {
            headers.Add(new("Cache-Control", $"public, max-age={seconds}"));
        }
        if (contentType == MediaTypes.Svg)
        {
            headers.Add(new("Content-Security-Policy", SvgSecurityPolicy));
        }
        var result = statusCode == StatusCodes.Status200OK
            ? Results.Bytes(content, contentType)
            : new StatusBytesResult(content, contentType, statusCode);
        return new HeadersResult(result, headers);
    }

    /// <summary>An HTML page; <paramref name="isPrivate"/> pages (claim links) are never stored, indexed or referred from.</summary>
    public static IResult Page(string html, int statusCode = StatusCodes.Status200OK, bool isPrivate = false)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("X-Content-Type-Options", "nosniff"),
            new("Content-Security-Policy", PageSecurityPolicy),
            new("Referrer-Policy", "no-referrer"),
            new("Cache-Control", isPrivate ? "no-store" : "no-cache"),
        };
        if (isPrivate)
        {
            headers.Add(new("X-Robots-Tag", "noindex, nofollow"));
        }
        return new HeadersResult(Results.Text(html, MediaTypes.HtmlUtf8, statusCode: statusCode), headers);
    }

    /// <summary>Sets headers, then runs the inner result.</summary>
    private sealed class HeadersResult(IResult inner, IReadOnlyList<KeyValuePair<string, string>> headers) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            foreach (var (name, value) in headers)
            {
                httpContext.Response.Headers[name] = value;
            }
            return inner.ExecuteAsync(httpContext);
        }
    }

    /// <summary>Bytes with a status other than 200 (<c>Results.Bytes</c> takes no status).</summary>
    private sealed class StatusBytesResult(ReadOnlyMemory<byte> content, string contentType, int statusCode) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.StatusCode = statusCode;
            httpContext.Response.ContentType = contentType;
            httpContext.Response.ContentLength = content.Length;
            await httpContext.Response.Body.WriteAsync(content, httpContext.RequestAborted);
        }
    }
}
