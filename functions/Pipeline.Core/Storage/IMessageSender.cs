using Pipeline.Core.Contracts;

namespace Pipeline.Core.Storage;

/// <summary>
/// Outgoing stage messages. Queues are at-least-once: every consumer is idempotent, so a message sent twice
/// is harmless. The body is UTF-8 JSON of a contract in <c>Pipeline.Core.Contracts</c>.
/// </summary>
public interface IMessageSender
{
    Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>Sends many messages at once (SIS ingest sends thousands); each is delivered at least once.</summary>
    Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken);
}
