using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Core.Json;
using Pipeline.Core.Pathways;

namespace Pipeline.Core.Credentials;

/// <summary>
/// The deterministic id of one award: the same (issuer, achievement, learner, award period) always yields the
/// same id, so replays never mint a second credential.
/// <para>
/// Canonical string: the compact JSON array <c>["ob3-credential/v1", issuerId, achievementId, learnerId, awardPeriod]</c>
/// (awardPeriod <c>null</c> for one-time achievements), UTF-8 encoded. The first 16 bytes of its SHA-256 digest,
/// with the RFC 9562 version nibble set to 8 (custom, here "SHA-256 name-based") and the variant bits to 10,
/// form the UUID (<see cref="Urn"/>, <c>urn:uuid:…</c>). The public short form (<see cref="Value"/>, used in
/// <c>/credentials/{id}</c>) is the base64url (no padding) of those same 16 bytes: 22 URL-safe characters.
/// </para>
/// </summary>
public readonly record struct CredentialId
{
    private readonly Guid _uuid;

    private CredentialId(byte[] bytes) => _uuid = new Guid(bytes, bigEndian: true);

    /// <summary>The short URL-safe form, e.g. <c>q2xW0pDnTn-3Jl4bC8v1Zw</c>.</summary>
    public string Value
    {
        get
        {
            Span<byte> bytes = stackalloc byte[16];
            _uuid.TryWriteBytes(bytes, bigEndian: true, out _);
            return Base64Url.EncodeToString(bytes);
        }
    }

    /// <summary>The same id as a UUID URN (<c>urn:uuid:xxxxxxxx-xxxx-8xxx-…</c>).</summary>
    public string Urn => "urn:uuid:" + _uuid.ToString("D");

    public static CredentialId Compute(string issuerId, string achievementId, string learnerId, string? awardPeriod)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuerId);
        ArgumentException.ThrowIfNullOrEmpty(achievementId);
        ArgumentException.ThrowIfNullOrEmpty(learnerId);
        var canonical = JsonSerializer.Serialize(new[] { "ob3-credential/v1", issuerId, achievementId, learnerId, awardPeriod }, CanonicalJson.Options);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        var bytes = digest[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new CredentialId(bytes);
    }

    /// <summary>Reads the short form back (e.g. from a URL); false when it is not 22 base64url characters of a version-8 id.</summary>
    public static bool TryParse(string? value, out CredentialId id)
    {
        id = default;
        if (value is null || value.Length != 22 || !Base64Url.IsValid(value))
        {
            return false;
        }
        var bytes = Base64Url.DecodeFromChars(value);
        if (bytes.Length != 16 || (bytes[6] & 0xF0) != 0x80 || (bytes[8] & 0xC0) != 0x80 || Base64Url.EncodeToString(bytes) != value)
        {
            return false;
        }
        id = new CredentialId(bytes);
        return true;
    }

    public override string ToString() => Value;
}
