using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Cli;

public sealed class ChaosCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Chaos_without_data_runs_in_a_temporary_folder_of_its_own_beside_a_filled_default_data_folder_and_removes_it()
    {
        var filled = Directory.CreateDirectory(Path.Combine(_folder.Path, ".pipeline"));
        await File.WriteAllTextAsync(Path.Combine(filled.FullName, "pipeline.db"), "the demo's");
        var before = Directory.GetDirectories(Path.GetTempPath(), "pipeline-chaos-*").ToHashSet(StringComparer.Ordinal);

        var run = await CliProcess.RunAsync(_folder.Path, "chaos", "--learners", "2", "--kills", "0", "--faults", "0");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.DoesNotContain("not empty", run.Output, StringComparison.Ordinal);
        Assert.Equal(["pipeline.db"], Directory.GetFileSystemEntries(filled.FullName).Select(Path.GetFileName));
        Assert.DoesNotContain(Directory.GetDirectories(Path.GetTempPath(), "pipeline-chaos-*"), d => !before.Contains(d));
    }
}
