using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Core.Http;

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

    /// <summary>Lower-case hex of SHA-256(UTF-8(token)): the key the claims ledger is searched by.</summary>
    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}
