using Microsoft.Extensions.Options;
using Pipeline.Core.Storage;
using Pipeline.Local.Dispatching;
using Pipeline.Local.Storage;

namespace Pipeline.Local.Hosting;

/// <summary>Runs one <see cref="QueueDispatcher"/> per stage queue until the host stops (graceful: in-flight messages finish or return).</summary>
internal sealed class StageDispatchWorker(
    SqliteQueue queue,
    StageRouter router,
    IOptions<LocalPipelineOptions> options,
    TimeProvider time,
    ILogger<QueueDispatcher> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Queues.All.Select(name => new QueueDispatcher(
            queue,
            router.HandleAsync,
            new QueueDispatcherOptions
            {
                Queue = name,
                MaxConcurrency = options.Value.Concurrency,
                MaxDequeueCount = options.Value.MaxDequeueCount,
            },
            time,
            logger).RunAsync(stoppingToken)));
}
