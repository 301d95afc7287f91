using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Pipeline.Core.Catalog;
using Pipeline.Core.Signing;

namespace Pipeline.Core.Tests.Signing;

public sealed class LocalJwkSignerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jwk-signer-tests-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private LocalJwkSigner CreateSut() => new(_folder);

    [Theory]
    [InlineData(SigningAlgorithm.RS256)]
    [InlineData(SigningAlgorithm.ES256)]
    public async Task EnsureKey_creates_an_owner_only_file_whose_signatures_verify_with_the_public_jwk(SigningAlgorithm algorithm)
    {
        using var sut = CreateSut();
        var key = new SigningKeyReference("issuer-key", algorithm);
        await sut.EnsureKeyAsync(key, CancellationToken.None);
        var path = sut.KeyPath(key);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        var digest = SHA256.HashData("signing input"u8);
        var signature = await sut.SignDigestAsync(key, digest, CancellationToken.None);
        var jwk = await sut.GetPublicKeyAsync(key, CancellationToken.None);
        Assert.Equal(algorithm.ToString(), jwk.Alg);
        Assert.Equal("issuer-key", jwk.Kid);
        var json = JwkJson.ToJson(jwk);
        Assert.False(json.ContainsKey("d"));
        if (algorithm == SigningAlgorithm.RS256)
        {
            using var rsa = RSA.Create(new RSAParameters { Modulus = Convert.FromBase64String(Pad(jwk.N!)), Exponent = Convert.FromBase64String(Pad(jwk.E!)) });
            Assert.Equal(2048, rsa.KeySize);
            Assert.True(rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        else
        {
            using var ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = Convert.FromBase64String(Pad(jwk.X!)), Y = Convert.FromBase64String(Pad(jwk.Y!)) } });
            Assert.Equal(64, signature.Length);
            Assert.True(ec.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }
    }

    [Fact]
    public async Task EnsureKey_never_overwrites_an_existing_key()
    {
        var key = new SigningKeyReference("stable", SigningAlgorithm.RS256);
        string before;
        using (var first = CreateSut())
        {
            await first.EnsureKeyAsync(key, CancellationToken.None);
            before = await File.ReadAllTextAsync(first.KeyPath(key));
        }
        using var second = CreateSut();
        await second.EnsureKeyAsync(key, CancellationToken.None);
        Assert.Equal(before, await File.ReadAllTextAsync(second.KeyPath(key)));
        Assert.Equal((string?)JsonNode.Parse(before)!["n"], (await second.GetPublicKeyAsync(key, CancellationToken.None)).N);
    }

    [Fact]
    public async Task Missing_key_is_not_created_by_signing()
    {
        using var sut = CreateSut();
        var key = new SigningKeyReference("absent", SigningAlgorithm.RS256);
        await Assert.ThrowsAsync<FileNotFoundException>(() => sut.SignDigestAsync(key, new byte[32], CancellationToken.None));
        Assert.False(File.Exists(sut.KeyPath(key)));
        Directory.CreateDirectory(_folder);
    }

    [Fact]
    public async Task Key_with_another_algorithm_than_the_issuer_expects_is_a_fault()
    {
        using var sut = CreateSut();
        await sut.EnsureKeyAsync(new SigningKeyReference("k", SigningAlgorithm.ES256), CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.GetPublicKeyAsync(new SigningKeyReference("k", SigningAlgorithm.RS256), CancellationToken.None));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Key_names_that_could_leave_the_folder_are_rejected(string name)
    {
        using var sut = CreateSut();
        Assert.Throws<ArgumentException>(() => sut.KeyPath(new SigningKeyReference(name, SigningAlgorithm.RS256)));
        Directory.CreateDirectory(_folder);
    }

    private static string Pad(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - s.Length % 4) % 4);
    }
}
