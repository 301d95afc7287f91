using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;
using Pipeline.Local.Cli;
using Pipeline.Local.Hosting;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Cli;

public sealed class IngestCommandTests : IDisposable
{
    private const string Export =
        "learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score\n" +
        "S900001,ada@example.edu,Ada,Lovelace,ECE420,2026-09-02,passed,A,\n" +
        "S900002,grace@example.edu,Grace,Hopper,AME410,2026-09-01,passed,B,\n";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Source()
    {
        var path = Path.Combine(_folder.Path, "registrar-2026FA.csv");
        File.WriteAllText(path, Export);
        return path;
    }

    private string[] Args(string source, params string[] more) =>
        [source, "--data", Path.Combine(_folder.Path, "data"), "--catalog", Path.Combine(RepositoryPaths.Samples, "catalog"), .. more];

    [Fact]
    public async Task Ingest_copies_the_export_into_the_inbox_and_it_ends_in_sis_processed_byte_for_byte_leaving_the_source()
    {
        var source = Source();

        Assert.Equal(0, await IngestCommand.Create().Parse(Args(source)).InvokeAsync());

        var paths = LocalPaths.For(Path.Combine(_folder.Path, "data"));
        Assert.Equal(Export, await File.ReadAllTextAsync(Path.Combine(paths.Blobs, Containers.SisProcessed, "registrar-2026FA.csv")));
        Assert.False(File.Exists(Path.Combine(paths.Inbox, "registrar-2026FA.csv")));
        Assert.Equal(Export, await File.ReadAllTextAsync(source));
    }

    [Fact]
    public async Task A_dry_run_reads_a_copy_and_writes_nothing_to_the_data_folder()
    {
        var source = Source();

        Assert.Equal(0, await IngestCommand.Create().Parse(Args(source, "--dry-run")).InvokeAsync());

        var paths = LocalPaths.For(Path.Combine(_folder.Path, "data"));
        Assert.False(Directory.Exists(paths.Inbox));
        Assert.False(Directory.Exists(Path.Combine(paths.Blobs, Containers.SisProcessed)));
        Assert.Equal(Export, await File.ReadAllTextAsync(source));
    }
}
