using System.Text;
using Pipeline.Core.Storage;

namespace Pipeline.Contracts.Tests.Contracts;

/// <summary>What every <see cref="IBlobStore"/> adapter must do.</summary>
public abstract class BlobStoreContract
{
    protected abstract Task<IBlobStore> CreateSutAsync();

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task<List<string>> ListAsync(IBlobStore sut, string container)
    {
        var names = new List<string>();
        await foreach (var name in sut.ListAsync(container, CancellationToken.None))
        {
            names.Add(name);
        }
        return names;
    }

    [Fact]
    public async Task Put_then_Get_returns_the_content_and_its_type()
    {
        var sut = await CreateSutAsync();

        await sut.PutAsync(Containers.Credentials, "abc.jwt", Bytes("eyJ.x.y"), "application/vc+jwt", CancellationToken.None);

        var blob = await sut.GetAsync(Containers.Credentials, "abc.jwt", CancellationToken.None);
        Assert.Equal(Bytes("eyJ.x.y"), blob!.Content.ToArray());
        Assert.Equal("application/vc+jwt", blob.ContentType);
    }

    [Fact]
    public async Task Put_existing_name_replaces_content_and_type()
    {
        var sut = await CreateSutAsync();
        await sut.PutAsync(Containers.Public, "issuers/umaine.json", Bytes("{\"v\":1}"), "application/json", CancellationToken.None);

        await sut.PutAsync(Containers.Public, "issuers/umaine.json", Bytes("{\"v\":2}"), "application/ld+json", CancellationToken.None);

        var blob = await sut.GetAsync(Containers.Public, "issuers/umaine.json", CancellationToken.None);
        Assert.Equal(Bytes("{\"v\":2}"), blob!.Content.ToArray());
        Assert.Equal("application/ld+json", blob.ContentType);
    }

    [Fact]
    public async Task Get_and_OpenRead_missing_blob_return_null()
    {
        var sut = await CreateSutAsync();

        Assert.Null(await sut.GetAsync(Containers.Public, "missing.json", CancellationToken.None));
        Assert.Null(await sut.OpenReadAsync(Containers.Public, "missing.json", CancellationToken.None));
        Assert.Null(await sut.GetAsync("never-created", "missing.json", CancellationToken.None));
    }

    [Fact]
    public async Task OpenRead_streams_the_content()
    {
        var sut = await CreateSutAsync();
        var content = Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray();
        await sut.PutAsync(Containers.Credentials, "big.png", content, "image/png", CancellationToken.None);

        await using var stream = await sut.OpenReadAsync(Containers.Credentials, "big.png", CancellationToken.None);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);

        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task List_returns_the_containers_names_in_ordinal_order_with_slashes()
    {
        var sut = await CreateSutAsync();
        await sut.PutAsync(Containers.Public, "issuers/umaine.json", Bytes("{}"), "application/json", CancellationToken.None);
        await sut.PutAsync(Containers.Public, ".well-known/jwks.json", Bytes("{}"), "application/json", CancellationToken.None);
        await sut.PutAsync(Containers.Public, "achievements/a.json", Bytes("{}"), "application/json", CancellationToken.None);
        await sut.PutAsync(Containers.Credentials, "x.jwt", Bytes("x"), "application/jwt", CancellationToken.None);

        Assert.Equal([".well-known/jwks.json", "achievements/a.json", "issuers/umaine.json"], await ListAsync(sut, Containers.Public));
        Assert.Empty(await ListAsync(sut, "never-created"));
    }

    [Fact]
    public async Task Delete_returns_true_once_then_false()
    {
        var sut = await CreateSutAsync();
        await sut.PutAsync(Containers.SisInbox, "term.csv", Bytes("a,b"), "text/csv", CancellationToken.None);

        Assert.True(await sut.DeleteAsync(Containers.SisInbox, "term.csv", CancellationToken.None));
        Assert.False(await sut.DeleteAsync(Containers.SisInbox, "term.csv", CancellationToken.None));
        Assert.Null(await sut.GetAsync(Containers.SisInbox, "term.csv", CancellationToken.None));
        Assert.Empty(await ListAsync(sut, Containers.SisInbox));
    }

    [Fact]
    public async Task Move_puts_the_content_and_its_type_in_the_target_container_and_removes_it_from_the_source()
    {
        var sut = await CreateSutAsync();
        var content = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        await sut.PutAsync(Containers.SisInbox, "banner/term.csv", content, "text/csv; charset=windows-1252", CancellationToken.None);

        Assert.True(await sut.MoveAsync(Containers.SisInbox, "banner/term.csv", Containers.SisProcessed, CancellationToken.None));

        var moved = await sut.GetAsync(Containers.SisProcessed, "banner/term.csv", CancellationToken.None);
        Assert.Equal(content, moved!.Content.ToArray());
        Assert.Equal("text/csv; charset=windows-1252", moved.ContentType);
        Assert.Null(await sut.GetAsync(Containers.SisInbox, "banner/term.csv", CancellationToken.None));
        Assert.Empty(await ListAsync(sut, Containers.SisInbox));
    }

    [Fact]
    public async Task Move_replaces_a_blob_of_the_same_name_in_the_target()
    {
        var sut = await CreateSutAsync();
        await sut.PutAsync(Containers.SisProcessed, "term.csv", Bytes("old"), "application/octet-stream", CancellationToken.None);
        await sut.PutAsync(Containers.SisInbox, "term.csv", Bytes("new"), "text/csv", CancellationToken.None);

        Assert.True(await sut.MoveAsync(Containers.SisInbox, "term.csv", Containers.SisProcessed, CancellationToken.None));

        var moved = await sut.GetAsync(Containers.SisProcessed, "term.csv", CancellationToken.None);
        Assert.Equal(Bytes("new"), moved!.Content.ToArray());
        Assert.Equal("text/csv", moved.ContentType);
    }

    [Fact]
    public async Task Move_of_a_missing_blob_is_false_and_writes_nothing()
    {
        var sut = await CreateSutAsync();

        Assert.False(await sut.MoveAsync(Containers.SisInbox, "never-dropped.csv", Containers.SisProcessed, CancellationToken.None));
        Assert.Null(await sut.GetAsync(Containers.SisProcessed, "never-dropped.csv", CancellationToken.None));
    }

    [Theory]
    [InlineData("../escape.json")]
    [InlineData("a/../../escape.json")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b.json")]
    [InlineData("a\\b.json")]
    [InlineData("")]
    public async Task Names_that_could_escape_the_container_are_rejected(string name)
    {
        var sut = await CreateSutAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            sut.PutAsync(Containers.Public, name, Bytes("x"), "text/plain", CancellationToken.None));
        Assert.Contains($"\"{name}\"", error.Message, StringComparison.Ordinal);
    }
}
