using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Core.Credentials;

/// <summary>
/// Claim-link tokens (design, Security model): 256 random bits, base64url without padding (43 characters), sent only
/// in the learner's email. The claims ledger stores only <see cref="Hash"/> of a token
/// (<see cref="Storage.ClaimRecord.TokenHash"/>): lower-case hex SHA-256 of its UTF-8 bytes.
/// </summary>
public static class ClaimTokens
{
    public const int TokenBytes = 32;

    /// <summary>A new token and the hash to store for it.</summary>
    public static (string Token, string Hash) Create()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        return (token, Hash(token));
    }

    /// <summary>
    /// The claim token of a credential's email: HMAC-SHA256 of its id under the deployment's secret, so every attempt
    /// to send the email — a retry after a crash, a duplicate delivery handled concurrently — carries the same token,
    /// and the link in whichever copy arrives is the one whose hash the claims ledger holds. 256 bits no one without
    /// the secret can compute; the ledger still stores only the hash.
    /// </summary>
    public static (string Token, string Hash) Derive(ReadOnlySpan<byte> secret, string credentialId)
    {
        ArgumentException.ThrowIfNullOrEmpty(credentialId);
        if (secret.Length < 16)
        {
            throw new ArgumentException($"The claim-token secret must be at least 16 bytes; found {secret.Length}.", nameof(secret));
        }
        var token = Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes("claim-token/v1|" + credentialId)));
        return (token, Hash(token));
    }

    /// <summary>Lower-case hex of SHA-256(UTF-8(token)): the key the claims ledger is searched by.</summary>
    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}
