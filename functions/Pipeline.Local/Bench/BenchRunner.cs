using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json.Nodes;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Credentials;
using Pipeline.Core.Signing;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;
using Pipeline.Local.Cli;
using Pipeline.Local.Demo;
using Pipeline.Local.Hosting;
using Pipeline.Local.Storage;

namespace Pipeline.Local.Bench;

/// <summary>
/// One bench run in a fresh data folder: the sample catalog, a generated term of N learners, ingest (timed alone),
/// then the stage dispatchers until every queue is empty (CSV → credentials → emails in the outbox), then the
/// sign-only ceiling of the same key type on the same cores.
/// </summary>
internal static class BenchRunner
{
    public static readonly TimeSpan SignProbeDuration = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(50);

    public static async Task<BenchReport> RunAsync(LocalPaths paths, int learners, Action<string> progress, CancellationToken cancellationToken)
    {
        SampleCatalogInstaller.EnsureInstalled(paths.CatalogFolder, new Uri(LocalWebHost.DefaultUrl + "/"));
        using var runtime = await PipelineRuntime.OpenAsync(paths, cancellationToken);
        using var host = PipelineHosts.BuildWorkerHost(runtime);
        var services = host.Services;
        var queue = services.GetRequiredService<SqliteQueue>();
        using var latencies = new StageLatencyRecorder();
        var machine = MachineDescription();

        var termPath = Path.Combine(paths.Inbox, DemoCommand.TermFile.Replace('/', Path.DirectorySeparatorChar));
        await new TermGenerator(runtime.Catalog).WriteAsync(termPath, learners, cancellationToken);
        progress(string.Create(CultureInfo.InvariantCulture, $"Term for {learners} learners written; ingesting."));

        var process = Process.GetCurrentProcess();
        var termPeakRss = PeakRssBytes(process);
        var peakFromIngest = RestartPeakRss();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var ingest = await services.GetRequiredService<IngestSisFileHandler>().HandleAsync(Containers.SisInbox, DemoCommand.TermFile, cancellationToken);
        var ingestTime = clock.Elapsed;
        progress(string.Create(CultureInfo.InvariantCulture, $"Ingested {ingest.Counts.Rows} rows in {ingestTime.TotalSeconds:0.00} s; draining."));

        var drainClock = Stopwatch.StartNew();
        await host.StartAsync(cancellationToken);
        while ((await QueueDrain.CountAsync(queue, cancellationToken)).Total > 0)
        {
            await Task.Delay(DrainPoll, cancellationToken);
        }
        var drainTime = drainClock.Elapsed;
        await host.StopAsync(cancellationToken);
        await services.GetRequiredService<StatusListPublisher>().PublishPendingAsync(cancellationToken);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var peakRss = PeakRssBytes(process);

        var credentials = (await services.GetRequiredService<SqliteCredentialLedger>().CountByAchievementAsync(cancellationToken))
            .Where(c => c.State == CredentialState.Issued).Sum(c => c.Count);
        var emails = Directory.Exists(paths.Outbox) ? Directory.EnumerateFiles(paths.Outbox, "*.eml").Count() : 0;
        var poisoned = (await QueueDrain.PoisonCountsAsync(queue, cancellationToken)).Sum(p => p.Count);
        progress(string.Create(CultureInfo.InvariantCulture, $"Drained in {drainTime.TotalSeconds:0.00} s; measuring sign-only throughput for {SignProbeDuration.TotalSeconds:0} s."));

        var issuer = runtime.Catalog.Issuers.Values.OrderBy(i => i.Id, StringComparer.Ordinal)
            .FirstOrDefault(i => i.Key.Algorithm == SigningAlgorithm.RS256) ?? runtime.Catalog.Issuers.Values.First();
        var signOnly = await SignOnlyProbe.MeasureAsync(
            services.GetRequiredService<VcJwt>(), issuer, await SampleCredentialAsync(services, cancellationToken), SignProbeDuration, cancellationToken);

        var wall = ingestTime + drainTime;
        var credentialsPerSecond = credentials / drainTime.TotalSeconds;
        return new BenchReport
        {
            Machine = machine,
            ProcessorCount = Environment.ProcessorCount,
            Learners = learners,
            Rows = ingest.Counts.Rows,
            RowsAccepted = ingest.Counts.Accepted,
            Credentials = credentials,
            Emails = emails,
            Poisoned = poisoned,
            IngestSeconds = ingestTime.TotalSeconds,
            DrainSeconds = drainTime.TotalSeconds,
            WallSeconds = wall.TotalSeconds,
            RowsPerSecond = ingest.Counts.Rows / ingestTime.TotalSeconds,
            CredentialsPerSecond = credentialsPerSecond,
            EmailsPerSecond = emails / drainTime.TotalSeconds,
            Stages = [.. Queues.All.Select(name => latencies.For(name)).Zip(Queues.All, (histogram, name) =>
                new StageLatency(name, histogram.Count, histogram.Percentile(50), histogram.Percentile(95)))],
            PeakRssMegabytes = peakRss / 1024.0 / 1024.0,
            PeakRssScope = peakFromIngest ? "ingest + drain" : "process",
            TermPeakRssMegabytes = termPeakRss / 1024.0 / 1024.0,
            CpuSeconds = cpu.TotalSeconds,
            SignAlgorithm = issuer.Key.Algorithm.ToString(),
            SignOnlyPerSecond = signOnly,
            RatioToSignOnly = signOnly > 0 ? credentialsPerSecond / signOnly : 0,
        };
    }

    /// <summary>A real issued credential (the first learner's first), so the probe signs a payload of the pipeline's size.</summary>
    private static async Task<JsonObject> SampleCredentialAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var ledger = services.GetRequiredService<SqliteCredentialLedger>();
        var blobs = services.GetRequiredService<IBlobStore>();
        for (var n = 1; ; n++)
        {
            foreach (var record in await ledger.GetByLearnerAsync(TermGenerator.LearnerId(n), cancellationToken))
            {
                if (await blobs.GetAsync(Containers.Credentials, BlobNames.CredentialFile(record.CredentialId, "json"), cancellationToken) is { } json)
                {
                    return JsonNode.Parse(json.Content.Span)!.AsObject();
                }
            }
            if (n > 1000)
            {
                throw new InvalidOperationException("The bench issued no credential to sign; see the poison queues.");
            }
        }
    }

    /// <summary>
    /// Collects the term generator's garbage and restarts the kernel's count of the peak resident set ("5" written to
    /// <c>/proc/self/clear_refs</c>, Linux), so the peak reported is the pipeline's, from the start of ingest to drained,
    /// not the bench's own writing of the term. False where the count cannot be restarted: the peak is then the process's.
    /// </summary>
    private static bool RestartPeakRss()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The process's peak resident set (VmHWM on Linux) since it started or since <see cref="RestartPeakRss"/>, in bytes.</summary>
    private static long PeakRssBytes(Process process)
    {
        const string statusFile = "/proc/self/status";
        if (File.Exists(statusFile))
        {
            foreach (var line in File.ReadLines(statusFile))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal)
                    && long.TryParse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture, out var kilobytes))
                {
                    return kilobytes * 1024;
                }
            }
        }
        return process.PeakWorkingSet64;
    }

    /// <summary>The 1-minute load average (Linux), so a run on a busy machine says so.</summary>
    private static string LoadAverage()
    {
        const string loadFile = "/proc/loadavg";
        return File.Exists(loadFile) ? File.ReadAllText(loadFile).Split(' ')[0] : "unknown";
    }

    private static string MachineDescription()
    {
        const string cpuInfo = "/proc/cpuinfo";
        var model = File.Exists(cpuInfo)
            ? File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, {model ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString()}, {memory:0.0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, load average at start {LoadAverage()}");
    }
}
