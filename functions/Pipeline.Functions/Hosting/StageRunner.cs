using Pipeline.Core.Contracts;
using Pipeline.Core.Stages;
using Pipeline.Core.Storage;

namespace Pipeline.Functions.Hosting;

/// <summary>
/// What each queue trigger does: the shared <see cref="StageDispatcher"/> (decode, handle, send what it emits). Faults
/// propagate, so the host retries the message and poison-queues it after maxDequeueCount — except throttling
/// (<see cref="ThrottledException"/>: a service's 429/503 or the email quota used up), where the message is put back on
/// its queue with the Retry-After as visibility delay and this invocation succeeds: a throttled message waits, it never
/// uses up its attempts. Every stage is idempotent, so the copy is safe.
/// </summary>
public sealed class StageRunner(StageDispatcher stages, IMessageSender sender)
{
    public async Task RunAsync(string queue, string body, CancellationToken cancellationToken)
    {
        try
        {
            await stages.DispatchAsync(queue, body, cancellationToken);
        }
        catch (ThrottledException throttled)
        {
            await sender.SendAsync(new OutgoingMessage(queue, body) { VisibilityDelay = throttled.RetryAfter }, cancellationToken);
        }
    }
}
