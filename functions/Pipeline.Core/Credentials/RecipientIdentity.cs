using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core.Json;
using Pipeline.Core.Pathways;

namespace Pipeline.Core.Credentials;

/// <summary>
/// How a learner appears inside a credential without revealing who they are: the hashed email
/// (OB IdentityObject / OB 2.0 recipient) and a pseudonymous subject id.
/// </summary>
public static class RecipientIdentity
{
    /// <summary>
    /// Our decision (the spec leaves it open): an email is trimmed and lower-cased (invariant culture) before
    /// hashing, so <c>" Ana@Example.EDU"</c> and <c>"ana@example.edu"</c> hash alike. Verifiers comparing an email
    /// must normalise the same way; <see cref="MatchesEmail"/> does.
    /// </summary>
    public static string NormalizeEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    /// <summary>OB IdentityHash: <c>sha256$</c> + lower-case hex(SHA-256(UTF-8(identifier ‖ salt))); no salt ⇒ unsalted.</summary>
    public static string IdentityHash(string identifier, string? salt)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(identifier + salt));
        return "sha256$" + Convert.ToHexStringLower(digest);
    }

    /// <summary>A fresh salt: 16 random bytes, lower-case hex. Store it with the credential; pass it in so builds are reproducible.</summary>
    public static string CreateSalt() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The OB 3.0 IdentityObject for an email: <c>{type, hashed:true, identityHash, identityType:"emailAddress", salt}</c>.</summary>
    public static JsonObject EmailIdentityObject(string email, string salt)
    {
        ArgumentException.ThrowIfNullOrEmpty(salt);
        return new JsonObject
        {
            ["type"] = "IdentityObject",
            ["hashed"] = true,
            ["identityHash"] = IdentityHash(NormalizeEmail(email), salt),
            ["identityType"] = "emailAddress",
            ["salt"] = salt,
        };
    }

    /// <summary>
    /// True when <paramref name="identityHash"/> (a <c>sha256$…</c> value, hex in either case) is the hash of the
    /// normalised <paramref name="email"/> with <paramref name="salt"/>.
    /// </summary>
    public static bool MatchesEmail(string identityHash, string? salt, string email)
    {
        ArgumentNullException.ThrowIfNull(identityHash);
        return string.Equals(identityHash, IdentityHash(NormalizeEmail(email), salt), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The pseudonymous <c>credentialSubject.id</c> of a learner at an issuer: <c>urn:uuid:</c> + a version-8 UUID
    /// from the first 16 bytes of HMAC-SHA-256(key = the issuer's subject secret, message = UTF-8 of the compact JSON
    /// array <c>["ob3-subject/v1", issuerId, learnerId]</c>). Stable per learner per issuer, different across issuers,
    /// and without the secret neither the SIS id nor the email can be recovered or confirmed by guessing.
    /// </summary>
    public static string SubjectId(string issuerId, string learnerId, ReadOnlySpan<byte> issuerSubjectSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuerId);
        ArgumentException.ThrowIfNullOrEmpty(learnerId);
        if (issuerSubjectSecret.Length < 16)
        {
            throw new ArgumentException($"The subject secret must be at least 16 bytes; found {issuerSubjectSecret.Length}.", nameof(issuerSubjectSecret));
        }
        var message = JsonSerializer.Serialize(new[] { "ob3-subject/v1", issuerId, learnerId }, CanonicalJson.Options);
        var mac = HMACSHA256.HashData(issuerSubjectSecret, Encoding.UTF8.GetBytes(message));
        var bytes = mac[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return "urn:uuid:" + new Guid(bytes, bigEndian: true).ToString("D");
    }
}
