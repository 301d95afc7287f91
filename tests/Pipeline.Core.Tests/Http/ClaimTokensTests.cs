using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Core.Http;

namespace Pipeline.Core.Tests.Http;

public sealed class ClaimTokensTests
{
    [Fact]
    public void Create_gives_256_random_bits_base64url_and_the_lower_hex_SHA256_of_the_token()
    {
        var (token, hash) = ClaimTokens.Create();

        Assert.Equal(32, Base64Url.DecodeFromChars(token).Length);
        Assert.Equal(43, token.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), hash);
        Assert.Equal(hash, ClaimTokens.Hash(token));
    }

    [Fact]
    public void Create_twice_gives_different_tokens() =>
        Assert.NotEqual(ClaimTokens.Create().Token, ClaimTokens.Create().Token);
}
