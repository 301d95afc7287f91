using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Storage;
using Pipeline.Local.Hosting;
using Pipeline.Local.Tests.EndToEnd;

namespace Pipeline.Local.Tests.Hosting;

public sealed class SisInboxWatcherTests
{
    private const string Header = "learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score";

    [Fact]
    public async Task A_file_that_grows_between_scans_is_not_ingested_until_two_scans_see_it_unchanged()
    {
        using var pipeline = new LocalPipeline();
        using var runtime = await pipeline.OpenAsync();
        using var host = LocalPipeline.WorkerHost(runtime);
        var services = host.Services;
        var watcher = new SisInboxWatcher(
            services.GetRequiredService<IBlobStore>(),
            services.GetRequiredService<IngestSisFileHandler>(),
            pipeline.Paths,
            services.GetRequiredService<IOptions<LocalPipelineOptions>>(),
            TimeProvider.System,
            NullLogger<SisInboxWatcher>.Instance);
        var activity = runtime.Catalog.Activities.Keys.First(runtime.Catalog.IsPathwayActivity);
        string Row(int i) => $"S{i},learner{i}@example.edu,Given{i},Family{i},{activity},2025-12-10,passed,A,95";
        var path = Path.Combine(pipeline.Paths.Inbox, "generic", "growing.csv");
        var ct = LocalPipeline.Bounded();

        pipeline.Drop("generic/growing.csv", [Header, Row(1)]);
        var firstScan = await watcher.ScanAsync(ct);
        await File.AppendAllTextAsync(path, Row(2) + "\n", ct);
        var whileGrowing = await watcher.ScanAsync(ct);
        await File.AppendAllTextAsync(path, Row(3) + "\n", ct);
        var stillGrowing = await watcher.ScanAsync(ct);
        var stable = await watcher.ScanAsync(ct);

        Assert.Equal([0, 0, 0, 1], [firstScan, whileGrowing, stillGrowing, stable]);
        Assert.False(File.Exists(path));
        var report = await services.GetRequiredService<IBlobStore>().GetAsync(Containers.SisReports, "generic/growing.csv.report.json", ct);
        Assert.Contains("\"accepted\": 3", System.Text.Encoding.UTF8.GetString(report!.Content.Span), StringComparison.Ordinal);
    }
}
