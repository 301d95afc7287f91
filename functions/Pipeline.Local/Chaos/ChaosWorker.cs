using System.Globalization;
using Pipeline.Faults;
using Pipeline.Core.Status;
using Pipeline.Local.Hosting;
using Pipeline.Local.Storage;

namespace Pipeline.Local.Chaos;

/// <summary>
/// The process the chaos run kills: the embedded host's workers (inbox watcher, stage dispatchers, status-list
/// publishing) with faults on every port, until the inbox and the stage queues are empty. Every quarter second it
/// prints a <c>faults …</c> line with what it has injected so far, so a killed run's figures are not lost.
/// </summary>
internal static class ChaosWorker
{
    public const string FaultsLinePrefix = "faults ";

    /// <summary>The settings that make a worker host quick to recover after a kill (short visibility timeout, fast inbox scans).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings(double rate, int seed) =>
    [
        new("Faults:Rate", rate.ToString(CultureInfo.InvariantCulture)),
        new("Faults:Seed", seed.ToString(CultureInfo.InvariantCulture)),
        new("Pipeline:VisibilityTimeout", "00:00:03"),
        new("Pipeline:InboxScanInterval", "00:00:00.200"),
        new("Logging:LogLevel:Default", "Error"),
    ];

    /// <summary>0 when drained, 3 when the host stopped by itself (a fault escaped a worker).</summary>
    public static async Task<int> RunAsync(LocalPaths paths, double rate, int seed, TextWriter output, CancellationToken cancellationToken)
    {
        using var runtime = await PipelineRuntime.OpenAsync(paths, cancellationToken);
        using var host = PipelineHosts.BuildWorkerHost(runtime, builder => builder.Configuration.AddInMemoryCollection(Settings(rate, seed)), watchInbox: true);
        var services = host.Services;
        var queue = services.GetRequiredService<SqliteQueue>();
        var faults = services.GetService<FaultInjector>();
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        await host.StartAsync(cancellationToken);
        var exit = 0;
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System, cancellationToken);
            await ReportAsync(faults, output);
            if (stopping.IsCancellationRequested)
            {
                exit = 3;
                break;
            }
            if (InboxIsEmpty(paths) && (await QueueDrain.CountAsync(queue, cancellationToken)).Total == 0)
            {
                break;
            }
        }
        await host.StopAsync(CancellationToken.None);
        if (exit == 0 && faults is null)
        {
            await services.GetRequiredService<StatusListPublisher>().PublishPendingAsync(cancellationToken);
        }
        await ReportAsync(faults, output);
        return exit;
    }

    private static async Task ReportAsync(FaultInjector? faults, TextWriter output)
    {
        if (faults is not null)
        {
            await output.WriteLineAsync(FaultsLinePrefix + faults.Counts);
            await output.FlushAsync();
        }
    }

    private static bool InboxIsEmpty(LocalPaths paths) =>
        !Directory.Exists(paths.Inbox) || !Directory.EnumerateFiles(paths.Inbox, "*", SearchOption.AllDirectories).Any();
}
