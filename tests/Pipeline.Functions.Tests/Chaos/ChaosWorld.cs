using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Pipeline.Azure.Events;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Functions.Tests.Chaos;

/// <summary>
/// What outlives a killed app besides its own storage: the mail service, the Service Bus topic, Event Grid's pending
/// deliveries and the host's log. They live in the same Azurite account, under names the app never uses, so every
/// process of the chaos run — the killed ones, the calm ones and the verdict — sees the same world.
/// </summary>
internal sealed class ChaosWorld(BlobServiceClient blobs, QueueServiceClient queues)
{
    /// <summary>Delivered emails, one blob per Message-Id.</summary>
    public const string MailContainer = "chaos-mail";

    /// <summary>Events the topic accepted, one blob per event id.</summary>
    public const string TopicContainer = "chaos-topic";

    /// <summary>The host's log: the last failure of each message body, a blob named by the body's SHA-256.</summary>
    public const string FailureContainer = "chaos-failures";

    /// <summary>Blob-created events Event Grid still has to deliver (it retries until the function succeeds).</summary>
    public const string EventGridQueue = "chaos-eventgrid";

    public BlobContainerClient Mail => blobs.GetBlobContainerClient(MailContainer);

    public BlobContainerClient Topic => blobs.GetBlobContainerClient(TopicContainer);

    public BlobContainerClient Failures => blobs.GetBlobContainerClient(FailureContainer);

    public QueueClient EventGrid => queues.GetQueueClient(EventGridQueue);

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var container in new[] { Mail, Topic, Failures })
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
        await EventGrid.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    public Task LogFailureAsync(string body, string reason, CancellationToken cancellationToken) =>
        Failures.GetBlobClient(FailureName(body)).UploadAsync(BinaryData.FromString(reason), overwrite: true, cancellationToken);

    public async Task<string?> FailureOfAsync(string body, CancellationToken cancellationToken)
    {
        var blob = Failures.GetBlobClient(FailureName(body));
        return await blob.ExistsAsync(cancellationToken) ? (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToString() : null;
    }

    private static string FailureName(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

    /// <summary>Stores a blob unless one of that name exists: what a service that deduplicates by id does with a resend.</summary>
    public static async Task CreateOnceAsync(BlobContainerClient container, string name, BinaryData content, IDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        try
        {
            await container.GetBlobClient(name).UploadAsync(content, new BlobUploadOptions
            {
                Metadata = metadata,
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            // Already there: the resend is dropped.
        }
    }
}

/// <summary>One delivered email as the verdict reads it.</summary>
internal sealed record DeliveredEmail(string MessageId, string To, string Subject, string TextBody);

/// <summary>
/// Communication Services Email as the app meets it: a send with a Message-Id already delivered is not delivered again
/// (<see cref="Pipeline.Azure.Email.AcsEmailMailer"/> derives the Repeatability-Request-Id from it).
/// </summary>
internal sealed class ChaosMailService(ChaosWorld world) : IMailer
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Interlocked.Increment(ref _calls);
        var delivered = new DeliveredEmail(message.MessageId, message.To.Address, message.Subject, message.TextBody);
        await ChaosWorld.CreateOnceAsync(world.Mail, message.MessageId, BinaryData.FromObjectAsJson(delivered), new Dictionary<string, string>(), cancellationToken);
    }
}

/// <summary>The Service Bus topic with duplicate detection on (infra/resources.bicep): an event id already accepted is dropped.</summary>
internal sealed class ChaosTopic(ChaosWorld world) : IEventPublisher
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public async Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        Interlocked.Increment(ref _calls);
        var message = ServiceBusEventPublisher.ToMessage(integrationEvent);
        await ChaosWorld.CreateOnceAsync(world.Topic, integrationEvent.EventId, message.Body,
            new Dictionary<string, string> { ["eventType"] = integrationEvent.EventType }, cancellationToken);
    }

    /// <summary>The credential id of an accepted event's body.</summary>
    public static string CredentialIdOf(BinaryData body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("credentialId").GetString() ?? "";
    }
}
