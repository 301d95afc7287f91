using Microsoft.Extensions.Options;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Hosting;

/// <summary>
/// The embedded host's blob trigger on <c>sis-inbox</c>: scans the folder, and ingests a file once its size and
/// write time have stayed the same across two scans (so a file still being copied in is not read half-written).
/// An ingest that faults is retried on the next scan; the handler itself is idempotent.
/// </summary>
internal sealed partial class SisInboxWatcher(
    IBlobStore blobs,
    IngestSisFileHandler ingest,
    LocalPaths paths,
    IOptions<LocalPipelineOptions> options,
    TimeProvider time,
    ILogger<SisInboxWatcher> logger) : BackgroundService
{
    private readonly Dictionary<string, (long Length, DateTime WrittenAt)> _seen = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.InboxScanInterval, time);
        do
        {
            try
            {
                await ScanAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Listing the inbox failed (a throttled or timed-out list call): the next scan retries.
                LogScanFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One scan: ingests every file that has been stable since the previous scan; returns how many.</summary>
    public async Task<int> ScanAsync(CancellationToken cancellationToken)
    {
        var ingested = 0;
        var present = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var name in blobs.ListAsync(Containers.SisInbox, cancellationToken))
        {
            present.Add(name);
            var file = new FileInfo(Path.Combine(paths.Inbox, name));
            if (!file.Exists)
            {
                continue;
            }
            var state = (file.Length, file.LastWriteTimeUtc);
            if (!_seen.TryGetValue(name, out var previous) || previous != state)
            {
                _seen[name] = state;
                continue;
            }
            try
            {
                var report = await ingest.HandleAsync(Containers.SisInbox, name, cancellationToken);
                LogIngested(logger, name, report.Counts.Accepted, report.Counts.Rejected, report.Counts.Duplicate);
                _seen.Remove(name);
                ingested++;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The scan is the retry: any fault (a blob read timing out, a throttled send) is retried next scan.
                // Letting it escape would stop the whole host over one transient failure.
                LogIngestFailed(logger, exception, name);
            }
        }
        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _seen.Remove(gone);
        }
        return ingested;
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Ingested sis-inbox/{Name}: {Accepted} accepted, {Rejected} rejected, {Duplicate} duplicate rows")]
    private static partial void LogIngested(ILogger logger, string name, int accepted, int rejected, int duplicate);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Scanning sis-inbox failed; it is retried on the next scan")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Ingesting sis-inbox/{Name} failed; it is retried on the next scan")]
    private static partial void LogIngestFailed(ILogger logger, Exception exception, string name);
}
