using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Benchmarks;

/// <summary>Sends nothing: the dry run never sends, so this only satisfies the ingest handler's constructor.</summary>
internal sealed class NullSender : IMessageSender
{
    public Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) => Task.CompletedTask;
}
