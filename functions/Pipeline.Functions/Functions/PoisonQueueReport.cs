using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Functions.Functions;

/// <summary>
/// The poison-queue report: every 15 minutes, a warning per stage whose <c>-poison</c> queue holds messages (those the
/// host gave up on after maxDequeueCount), so an alert on the log can call someone. Messages are only counted, never moved.
/// </summary>
public sealed partial class PoisonQueueReport(QueueServiceClient queues, ILogger<PoisonQueueReport> logger)
{
    public const string Schedule = "0 */15 * * * *";

    [Function("ReportPoisonQueues")]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        foreach (var queue in Queues.All.Select(q => q + Queues.PoisonSuffix))
        {
            var client = queues.GetQueueClient(queue);
            if (!await client.ExistsAsync(cancellationToken))
            {
                continue;
            }
            var count = (await client.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
            if (count > 0)
            {
                LogPoisoned(logger, queue, count);
            }
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "{Queue} holds about {Count} messages that failed every retry")]
    private static partial void LogPoisoned(ILogger logger, string queue, int count);
}
