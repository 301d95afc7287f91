using Microsoft.Extensions.Options;
using Pipeline.Core.Contracts;
using Pipeline.Faults;
using Pipeline.Core.Stages;
using Pipeline.Core.Storage;
using Pipeline.Local.Dispatching;
using Pipeline.Local.Storage;

namespace Pipeline.Local.Hosting;

/// <summary>
/// Runs one <see cref="QueueDispatcher"/> per queue of <see cref="StageDispatcher.Table"/> until the host stops (graceful: in-flight messages finish or
/// return). With fault injection on, a handled message is delivered again at the duplicate rate, as a queue does when
/// its delete is lost.
/// </summary>
internal sealed class StageDispatchWorker(
    SqliteQueue queue,
    StageRouter router,
    IOptions<LocalPipelineOptions> options,
    TimeProvider time,
    ILogger<QueueDispatcher> logger,
    FaultInjector? faults = null) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ServedQueues.Select(name => new QueueDispatcher(
            queue,
            HandleAsync,
            new QueueDispatcherOptions
            {
                Queue = name,
                MaxConcurrency = options.Value.Concurrency,
                MaxDequeueCount = options.Value.MaxDequeueCount,
                VisibilityTimeout = options.Value.VisibilityTimeout,
            },
            time,
            logger).RunAsync(stoppingToken)));

    /// <summary>The queues this worker dispatches: every queue a stage reads.</summary>
    public static IReadOnlyList<string> ServedQueues { get; } = [.. StageDispatcher.Table.Select(r => r.Queue)];

    private async Task HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        await router.HandleAsync(message, cancellationToken);
        if (faults?.ShouldDuplicate("redeliver|" + message.MessageId) == true)
        {
            await queue.SendAsync(new OutgoingMessage(message.Queue, message.Body), cancellationToken);
        }
    }
}
