using System.Runtime.CompilerServices;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Faults;

/// <summary>The blob port with injected faults (Azure Blob Storage: 500, 503 Server Busy, timeouts).</summary>
public sealed class FaultyBlobStore(IBlobStore inner, FaultInjector faults) : IBlobStore
{
    private const string Port = nameof(IBlobStore);

    public Task PutAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
        faults.WriteAsync(Port, nameof(PutAsync), $"{container}/{name}", () => inner.PutAsync(container, name, content, contentType, cancellationToken), cancellationToken);

    public Task<BlobContent?> GetAsync(string container, string name, CancellationToken cancellationToken) =>
        faults.ReadAsync(Port, nameof(GetAsync), $"{container}/{name}", () => inner.GetAsync(container, name, cancellationToken), cancellationToken);

    public Task<Stream?> OpenReadAsync(string container, string name, CancellationToken cancellationToken) =>
        faults.ReadAsync(Port, nameof(OpenReadAsync), $"{container}/{name}", () => inner.OpenReadAsync(container, name, cancellationToken), cancellationToken);

    public async IAsyncEnumerable<string> ListAsync(string container, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await faults.ReadAsync(Port, nameof(ListAsync), container, () => Task.FromResult(true), cancellationToken);
        await foreach (var name in inner.ListAsync(container, cancellationToken))
        {
            yield return name;
        }
    }

    public Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken) =>
        faults.WriteAsync(Port, nameof(DeleteAsync), $"{container}/{name}", () => inner.DeleteAsync(container, name, cancellationToken), cancellationToken);

    public Task<bool> MoveAsync(string sourceContainer, string name, string targetContainer, CancellationToken cancellationToken) =>
        faults.WriteAsync(Port, nameof(MoveAsync), $"{sourceContainer}/{name}>{targetContainer}", () => inner.MoveAsync(sourceContainer, name, targetContainer, cancellationToken), cancellationToken);
}

/// <summary>
/// The queue sender with injected faults and duplicate deliveries: a message is sent twice at the configured
/// duplicate rate (at-least-once queues do this after a lost acknowledgement).
/// </summary>
public sealed class FaultyMessageSender(IMessageSender inner, FaultInjector faults) : IMessageSender
{
    private const string Port = nameof(IMessageSender);

    public Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendBatchAsync([message], cancellationToken);
    }

    public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var delivered = new List<OutgoingMessage>(messages.Count);
        foreach (var message in messages)
        {
            delivered.Add(message);
            if (faults.ShouldDuplicate(message.Queue + "|" + message.Body))
            {
                delivered.Add(message);
            }
        }
        var key = messages.Count == 0 ? "empty" : $"{messages[0].Queue}|{messages[0].Body}|{messages.Count}";
        return faults.WriteAsync(Port, nameof(SendBatchAsync), key, () => inner.SendBatchAsync(delivered, cancellationToken), cancellationToken);
    }
}

/// <summary>The mailer with injected faults; a fault after the send is a mail that went out but was not acknowledged.</summary>
public sealed class FaultyMailer(IMailer inner, FaultInjector faults) : IMailer
{
    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return faults.WriteAsync(nameof(IMailer), nameof(SendAsync), message.MessageId, () => inner.SendAsync(message, cancellationToken), cancellationToken);
    }
}

/// <summary>The integration-event publisher with injected faults (Service Bus: 503, timeouts after the send).</summary>
public sealed class FaultyEventPublisher(IEventPublisher inner, FaultInjector faults) : IEventPublisher
{
    public Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        return faults.WriteAsync(nameof(IEventPublisher), nameof(PublishAsync), integrationEvent.EventId,
            () => inner.PublishAsync(integrationEvent, cancellationToken), cancellationToken);
    }
}

/// <summary>The audit log with injected faults.</summary>
public sealed class FaultyAuditLog(IAuditLog inner, FaultInjector faults) : IAuditLog
{
    private const string Port = nameof(IAuditLog);

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return faults.WriteAsync(Port, nameof(AppendAsync), entry.EntryId, () => inner.AppendAsync(entry, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<AuditEntry>> GetByCredentialAsync(string credentialId, CancellationToken cancellationToken) =>
        faults.ReadAsync(Port, nameof(GetByCredentialAsync), credentialId, () => inner.GetByCredentialAsync(credentialId, cancellationToken), cancellationToken);
}
