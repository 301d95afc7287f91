namespace Pipeline.Core.Http;

/// <summary>The content types the public endpoints answer with.</summary>
public static class MediaTypes
{
    public const string Html = "text/html";
    public const string HtmlUtf8 = "text/html; charset=utf-8";
    public const string Json = "application/json";
    public const string LdJson = "application/ld+json";
    public const string VcLdJson = "application/vc+ld+json";
    public const string JwkSet = "application/jwk-set+json";
    public const string Problem = "application/problem+json";
    /// <summary>VC-JWTs are served as text (standards README §2.1).</summary>
    public const string Jwt = "text/plain; charset=utf-8";
    public const string Png = "image/png";
    public const string Svg = "image/svg+xml";
}
