using System.Diagnostics;
using Pipeline.Core.Stages;
using Pipeline.Local.Storage;

namespace Pipeline.Local.Hosting;

/// <summary>
/// The embedded host's equivalent of the Functions queue triggers: the shared <see cref="StageDispatcher"/>, timed.
/// Faults propagate so the dispatcher retries and poison-queues.
/// </summary>
internal sealed class StageRouter(StageDispatcher stages, StageMetrics metrics)
{
    public async Task HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var succeeded = false;
        try
        {
            await stages.DispatchAsync(message.Queue, message.Body, cancellationToken);
            succeeded = true;
        }
        finally
        {
            metrics.RecordStage(message.Queue, started, succeeded);
        }
    }
}
