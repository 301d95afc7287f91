using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Local.Tests.Webhooks;

/// <summary>Signs a webhook delivery the way a partner does (docs/integrations.md shows this file verbatim).</summary>
public static class PartnerSigner
{
    /// <summary>The two headers for <paramref name="body"/>, the exact bytes that will be sent.</summary>
    public static (string Timestamp, string Signature) Sign(string secret, byte[] body, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        byte[] signed = [.. Encoding.ASCII.GetBytes(timestamp + "."), .. body];
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return (timestamp, "sha256=" + Convert.ToHexStringLower(mac));
    }
}
