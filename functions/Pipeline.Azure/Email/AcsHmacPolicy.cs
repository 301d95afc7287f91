using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Pipeline.Azure.Email;

/// <summary>
/// Communication Services HMAC authentication: <c>x-ms-date</c> (RFC 1123), <c>x-ms-content-sha256</c> (Base64 SHA-256 of
/// the body) and <c>Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&amp;Signature=…</c>, the
/// signature being HMAC-SHA256 with the access key over <c>VERB\npath-and-query\ndate;host;content-hash</c>. Per retry, so
/// every attempt carries a fresh date.
/// </summary>
internal sealed class AcsHmacPolicy(byte[] accessKey, TimeProvider clock) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        using var body = new MemoryStream();
        request.Content?.WriteTo(body, message.CancellationToken);
        var contentHash = Convert.ToBase64String(SHA256.HashData(body.ToArray()));
        var date = clock.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        var uri = request.Uri.ToUri();
        var host = uri.IsDefaultPort ? uri.Host : uri.Authority;
        var stringToSign = $"{request.Method.Method}\n{uri.PathAndQuery}\n{date};{host};{contentHash}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(accessKey, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.SetValue("x-ms-date", date);
        request.Headers.SetValue("x-ms-content-sha256", contentHash);
        request.Headers.SetValue(HttpHeader.Names.Authorization, $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}");
    }
}
