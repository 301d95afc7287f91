using Pipeline.Core.Status;

namespace Pipeline.Local.Hosting;

/// <summary>Re-signs and republishes changed status lists every <see cref="StatusListOptions.PublishInterval"/>: many revocations, one signature per list.</summary>
internal sealed partial class StatusListPublishWorker(
    StatusListPublisher publisher,
    StatusListOptions options,
    TimeProvider time,
    ILogger<StatusListPublishWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PublishInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var published = await publisher.PublishPendingAsync(stoppingToken);
                if (published > 0)
                {
                    LogPublished(logger, published);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The next tick is the retry; a transient fault (a throttled signer, a blob write timing out) must
                // not escape and stop the host.
                LogPublishFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Published {Count} status list(s)")]
    private static partial void LogPublished(ILogger logger, int count);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Publishing status lists failed; retrying on the next tick")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
