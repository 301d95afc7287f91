using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Core.Stages.Webhooks;

/// <summary>Why a delivery's signature does not hold, or that it does.</summary>
public enum SignatureCheck
{
    Valid,
    MissingTimestamp,
    MissingSignature,
    MalformedTimestamp,
    MalformedSignature,
    StaleTimestamp,
    BadSignature,
}

/// <summary>
/// The webhook signature (docs/integrations.md): <c>X-Pipeline-Timestamp: {unix seconds}</c> and
/// <c>X-Pipeline-Signature: sha256={hex}</c> where hex is the lower-case HMAC-SHA256, keyed with the UTF-8 bytes of the
/// partner's secret, of the ASCII timestamp, a full stop, and the raw body bytes. The timestamp must be within
/// <see cref="Tolerance"/> of our clock; the signature may match either active secret; comparison is constant-time.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-Pipeline-Timestamp";
    public const string SignatureHeader = "X-Pipeline-Signature";
    public const string Scheme = "sha256=";

    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>The header value for a body: <c>sha256=</c> + hex HMAC-SHA256(secret, timestamp + "." + body).</summary>
    public static string Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(timestamp);
        return Scheme + Convert.ToHexStringLower(Mac(Encoding.UTF8.GetBytes(secret), timestamp, body));
    }

    /// <summary>Checks the headers of a delivery against the partner's active secrets at <paramref name="now"/>.</summary>
    public static SignatureCheck Check(string? timestamp, string? signature, ReadOnlySpan<byte> body, IReadOnlyList<PartnerSecret> secrets, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (string.IsNullOrWhiteSpace(timestamp))
        {
            return SignatureCheck.MissingTimestamp;
        }
        if (string.IsNullOrWhiteSpace(signature))
        {
            return SignatureCheck.MissingSignature;
        }
        if (timestamp.Length > 12 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return SignatureCheck.MalformedTimestamp;
        }
        if (!signature.StartsWith(Scheme, StringComparison.Ordinal) || signature.Length != Scheme.Length + 64)
        {
            return SignatureCheck.MalformedSignature;
        }
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature.AsSpan(Scheme.Length));
        }
        catch (FormatException)
        {
            return SignatureCheck.MalformedSignature;
        }
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > (long)Tolerance.TotalSeconds)
        {
            return SignatureCheck.StaleTimestamp;
        }
        var valid = false;
        foreach (var secret in secrets)
        {
            valid |= CryptographicOperations.FixedTimeEquals(given, Mac(Encoding.UTF8.GetBytes(secret.Value), timestamp, body));
        }
        return valid ? SignatureCheck.Valid : SignatureCheck.BadSignature;
    }

    private static byte[] Mac(byte[] key, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.ASCII.GetBytes(timestamp + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
