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
}
