using System.Text;
using Pipeline.Contracts.Tests.Contracts;
using Pipeline.Core.Storage;
using Pipeline.Local.Storage;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Storage;

public sealed class FolderBlobStoreTests : BlobStoreContract, IDisposable
{
    private readonly TempFolder _root = new();

    protected override Task<IBlobStore> CreateSutAsync() => Task.FromResult<IBlobStore>(new FolderBlobStore(_root.Path));

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_file_dropped_into_a_container_folder_is_a_blob_typed_by_its_extension()
    {
        var sut = await CreateSutAsync();
        Directory.CreateDirectory(Path.Combine(_root.Path, Containers.SisInbox));
        await File.WriteAllTextAsync(Path.Combine(_root.Path, Containers.SisInbox, "banner-2026FA.csv"), "id,course\n");

        var blob = await sut.GetAsync(Containers.SisInbox, "banner-2026FA.csv", CancellationToken.None);

        Assert.Equal("text/csv", blob!.ContentType);
        Assert.Equal("id,course\n", Encoding.UTF8.GetString(blob.Content.Span));
    }

    [Fact]
    public async Task A_file_dropped_by_hand_into_a_subfolder_can_be_deleted()
    {
        var sut = await CreateSutAsync();
        var folder = Path.Combine(_root.Path, Containers.SisInbox, "generic");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "term.csv"), "learner_id\n");

        Assert.True(await sut.DeleteAsync(Containers.SisInbox, "generic/term.csv", CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(folder, "term.csv")));
    }

    [Fact]
    public async Task Delete_of_a_blob_whose_folder_does_not_exist_is_false()
    {
        var sut = await CreateSutAsync();

        Assert.False(await sut.DeleteAsync(Containers.SisReports, "generic/never-written.rejected.csv", CancellationToken.None));
    }

    [Fact]
    public async Task Put_writes_the_file_at_the_container_path_and_leaves_no_temporary_file()
    {
        var sut = await CreateSutAsync();

        await sut.PutAsync(Containers.Credentials, "a/b.json", Encoding.UTF8.GetBytes("{}"), "application/json", CancellationToken.None);
        await sut.PutAsync(Containers.Credentials, "a/b.json", Encoding.UTF8.GetBytes("{\"x\":1}"), "application/json", CancellationToken.None);

        Assert.Equal("{\"x\":1}", await File.ReadAllTextAsync(Path.Combine(_root.Path, Containers.Credentials, "a", "b.json")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root.Path, ".tmp")));
    }

    [Theory]
    [InlineData(Containers.Credentials, "c1.jwt", BlobNames.ContentTypes.Jwt)]
    [InlineData(Containers.Credentials, "c1.json", BlobNames.ContentTypes.VcJson)]
    [InlineData(Containers.Credentials, "c1.png", BlobNames.ContentTypes.Png)]
    [InlineData(Containers.Credentials, "c1.svg", BlobNames.ContentTypes.Svg)]
    [InlineData(Containers.Public, "ob2/assertions/c1.json", BlobNames.ContentTypes.LdJson)]
    [InlineData(Containers.Public, "status/issuer/1.jwt", BlobNames.ContentTypes.Jwt)]
    public async Task The_pipelines_own_files_are_written_without_a_sidecar_and_read_back_with_their_type(string container, string name, string contentType)
    {
        var sut = await CreateSutAsync();

        await sut.PutAsync(container, name, Encoding.UTF8.GetBytes("x"), contentType, CancellationToken.None);

        Assert.False(Directory.Exists(Path.Combine(_root.Path, ".content-types")));
        Assert.Equal(contentType, (await sut.GetAsync(container, name, CancellationToken.None))!.ContentType);
    }

    [Fact]
    public async Task A_file_dropped_by_hand_is_moved_by_a_rename_into_a_new_subfolder_without_a_sidecar()
    {
        var sut = await CreateSutAsync();
        var folder = Path.Combine(_root.Path, Containers.SisInbox, "generic");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "term.csv"), "learner_id\n");
        var written = new FileInfo(Path.Combine(folder, "term.csv")).LastWriteTimeUtc;

        Assert.True(await sut.MoveAsync(Containers.SisInbox, "generic/term.csv", Containers.SisProcessed, CancellationToken.None));

        var moved = Path.Combine(_root.Path, Containers.SisProcessed, "generic", "term.csv");
        Assert.Equal("learner_id\n", await File.ReadAllTextAsync(moved));
        Assert.Equal(written, File.GetLastWriteTimeUtc(moved));
        Assert.False(File.Exists(Path.Combine(folder, "term.csv")));
        Assert.False(Directory.Exists(Path.Combine(_root.Path, ".content-types")));
        Assert.Equal("text/csv", (await sut.GetAsync(Containers.SisProcessed, "generic/term.csv", CancellationToken.None))!.ContentType);
    }

    [Fact]
    public async Task A_moved_blob_takes_its_sidecar_along()
    {
        var sut = await CreateSutAsync();
        await sut.PutAsync(Containers.SisInbox, "term.csv", Encoding.UTF8.GetBytes("a"), "text/csv; charset=utf-16", CancellationToken.None);

        Assert.True(await sut.MoveAsync(Containers.SisInbox, "term.csv", Containers.SisProcessed, CancellationToken.None));

        Assert.False(File.Exists(Path.Combine(_root.Path, ".content-types", Containers.SisInbox, "term.csv")));
        Assert.Equal("text/csv; charset=utf-16", await File.ReadAllTextAsync(Path.Combine(_root.Path, ".content-types", Containers.SisProcessed, "term.csv")));
    }

    [Fact]
    public async Task A_json_document_of_another_type_in_the_credentials_container_keeps_its_type_in_a_sidecar()
    {
        var sut = await CreateSutAsync();

        await sut.PutAsync(Containers.Credentials, "c1.json", Encoding.UTF8.GetBytes("{}"), BlobNames.ContentTypes.Json, CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(_root.Path, ".content-types", Containers.Credentials, "c1.json")));
        Assert.Equal(BlobNames.ContentTypes.Json, (await sut.GetAsync(Containers.Credentials, "c1.json", CancellationToken.None))!.ContentType);
    }
}
