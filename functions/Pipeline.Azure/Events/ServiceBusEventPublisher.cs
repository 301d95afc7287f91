using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Azure.Events;

/// <summary>
/// <see cref="IEventPublisher"/> on a Service Bus topic. <see cref="ToMessage"/> sets <c>MessageId</c> to the event id, so
/// the topic's duplicate detection drops a re-publish within its window.
/// </summary>
public sealed class ServiceBusEventPublisher(ServiceBusSender sender) : IEventPublisher
{
    public Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken) =>
        sender.SendMessageAsync(ToMessage(integrationEvent), cancellationToken);

    /// <summary>
    /// The message for an event: body = the contract JSON (<see cref="ContractsJsonContext"/>), <c>MessageId</c> = event id,
    /// <c>Subject</c> = event type, <c>CorrelationId</c>, content type <c>application/json</c>, and application properties
    /// <c>eventType</c> and <c>occurredAt</c> for subscription filters.
    /// </summary>
    public static ServiceBusMessage ToMessage(IntegrationEvent integrationEvent)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var body = JsonSerializer.SerializeToUtf8Bytes(integrationEvent, integrationEvent.GetType(), ContractsJsonContext.Default);
        var message = new ServiceBusMessage(body)
        {
            MessageId = integrationEvent.EventId,
            Subject = integrationEvent.EventType,
            CorrelationId = integrationEvent.CorrelationId,
            ContentType = "application/json",
        };
        message.ApplicationProperties["eventType"] = integrationEvent.EventType;
        message.ApplicationProperties["occurredAt"] = integrationEvent.OccurredAt;
        return message;
    }
}
