using Microsoft.Extensions.Time.Testing;
using Pipeline.Local.Admin;

namespace Pipeline.Local.Tests.Hosting;

public sealed class AdminKeyStoreTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("admin-keys-");

    private AdminKeyStore Store => new(Path.Combine(_folder.FullName, "keys", "admin-keys.json"), new FakeTimeProvider());

    [Fact]
    public async Task AddAsync_key_authenticates_as_its_name_and_only_its_hash_is_stored()
    {
        var key = await Store.AddAsync("alice", CancellationToken.None);

        Assert.NotNull(key);
        Assert.Equal("alice", await Store.AuthenticateAsync(key, CancellationToken.None));
        var file = await File.ReadAllTextAsync(Path.Combine(_folder.FullName, "keys", "admin-keys.json"));
        Assert.DoesNotContain(key, file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAsync_taken_name_is_null()
    {
        await Store.AddAsync("alice", CancellationToken.None);
        Assert.Null(await Store.AddAsync("alice", CancellationToken.None));
    }

    [Fact]
    public async Task RevokeAsync_key_no_longer_authenticates()
    {
        var key = (await Store.AddAsync("alice", CancellationToken.None))!;

        Assert.True(await Store.RevokeAsync("alice", CancellationToken.None));

        Assert.Null(await Store.AuthenticateAsync(key, CancellationToken.None));
        Assert.False(await Store.RevokeAsync("alice", CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("cpa_wrong")]
    [InlineData("functions-host-key")]
    public async Task AuthenticateAsync_unknown_token_is_null(string token)
    {
        await Store.AddAsync("alice", CancellationToken.None);
        Assert.Null(await Store.AuthenticateAsync(token, CancellationToken.None));
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
