using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Core.Credentials;
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

    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Derive_is_the_same_for_every_attempt_at_one_credential_so_concurrent_sends_carry_a_working_link()
    {
        var first = ClaimTokens.Derive(Secret, "v5FnAEBshXarADUYpY7GWA");
        var second = ClaimTokens.Derive(Secret, "v5FnAEBshXarADUYpY7GWA");

        Assert.Equal(first, second);
        Assert.Equal(ClaimTokens.Hash(first.Token), first.Hash);
        Assert.Equal(32, Base64Url.DecodeFromChars(first.Token).Length);
    }

    [Fact]
    public void Derive_is_HMAC_SHA256_of_the_labelled_id_under_the_secret()
    {
        var expected = Base64Url.EncodeToString(HMACSHA256.HashData(Secret, Encoding.UTF8.GetBytes("claim-token/v1|abc")));

        Assert.Equal(expected, ClaimTokens.Derive(Secret, "abc").Token);
    }

    [Fact]
    public void Derive_differs_by_credential_and_by_secret()
    {
        Assert.NotEqual(ClaimTokens.Derive(Secret, "a").Token, ClaimTokens.Derive(Secret, "b").Token);
        Assert.NotEqual(ClaimTokens.Derive(Secret, "a").Token, ClaimTokens.Derive(new byte[32], "a").Token);
    }
}
