using System.Text.Json.Nodes;
using Pipeline.Local.Cli;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Cli;

public sealed class BenchCommandTests
{
    [Fact]
    public async Task A_small_bench_issues_the_whole_term_and_reports_the_pipelines_peak_apart_from_writing_the_term()
    {
        using var folder = new TempFolder();
        var json = Path.Combine(folder.Path, "bench.json");

        Assert.Equal(0, await BenchCommand.Create().Parse(["--learners", "20", "--data", Path.Combine(folder.Path, "data"), "--json", json]).InvokeAsync());

        var report = JsonNode.Parse(await File.ReadAllTextAsync(json))!;
        Assert.Equal(20, (int)report["learners"]!);
        Assert.True((int)report["credentials"]! > 0);
        Assert.Equal((int)report["credentials"]!, (int)report["emails"]!);
        Assert.Equal(0, (int)report["poisoned"]!);
        Assert.Equal(OperatingSystem.IsLinux() ? "ingest + drain" : "process", (string?)report["peakRssScope"]);
        Assert.InRange((double)report["peakRssMegabytes"]!, 1, 4096);
        Assert.InRange((double)report["termPeakRssMegabytes"]!, 1, 4096);
    }
}
