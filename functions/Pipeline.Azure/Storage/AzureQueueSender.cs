using Azure.Storage.Queues;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Azure.Storage;

/// <summary>
/// <see cref="IMessageSender"/> on Azure Queue Storage. The service client must encode messages as Base64
/// (<see cref="ClientOptions"/>): that is what the Functions queue trigger decodes by default. A queue is created on
/// first use. Queue Storage has no batch send; a batch is sent with bounded parallelism, each message at least once.
/// </summary>
public sealed class AzureQueueSender : IMessageSender
{
    private const int BatchParallelism = 16;

    private readonly QueueServiceClient _service;
    private readonly CreateOnce<QueueClient> _queues;

    public AzureQueueSender(QueueServiceClient service)
    {
        ArgumentNullException.ThrowIfNull(service);
        _service = service;
        _queues = new CreateOnce<QueueClient>(async name =>
        {
            var client = _service.GetQueueClient(name);
            await client.CreateIfNotExistsAsync();
            return client;
        });
    }

    /// <summary>Client options with the Base64 message encoding the Functions queue trigger expects.</summary>
    public static QueueClientOptions ClientOptions() => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    public async Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var queue = await QueueAsync(message.Queue, cancellationToken);
        await queue.SendMessageAsync(message.Body, message.VisibilityDelay, timeToLive: null, cancellationToken);
    }

    public async Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var name in messages.Select(m => m.Queue).Distinct(StringComparer.Ordinal))
        {
            StorageNames.ValidateContainerOrQueue(name, "Queue", nameof(messages));
        }
        await Parallel.ForEachAsync(
            messages,
            new ParallelOptions { MaxDegreeOfParallelism = BatchParallelism, CancellationToken = cancellationToken },
            async (message, token) => await SendAsync(message, token));
    }

    private Task<QueueClient> QueueAsync(string name, CancellationToken cancellationToken)
    {
        StorageNames.ValidateContainerOrQueue(name, "Queue", nameof(name));
        return _queues.GetAsync(name, cancellationToken);
    }
}
