using System.Text.Json;
using Pipeline.Azure.Events;
using Pipeline.Contracts.Tests.TestData;
using Pipeline.Core.Contracts;

namespace Pipeline.Azure.Tests.Events;

/// <summary>
/// Service Bus has no emulator here: these tests pin the message the publisher hands to the SDK's sender (the
/// deduplication key, routing fields and body), which is everything the adapter decides.
/// </summary>
public sealed class ServiceBusEventPublisherTests
{
    private static readonly CredentialRevoked Revoked = new()
    {
        EventId = "revoked:cred-1",
        CorrelationId = "corr-2",
        OccurredAt = Records.Time,
        CredentialId = "cred-1",
        Reason = "issued in error",
        Actor = "admin@example.edu",
    };

    [Fact]
    public void ToMessage_uses_the_event_id_as_MessageId_so_duplicate_detection_drops_a_republish()
    {
        var first = ServiceBusEventPublisher.ToMessage(Revoked);
        var again = ServiceBusEventPublisher.ToMessage(Revoked with { });

        Assert.Equal(("revoked:cred-1", "revoked:cred-1"), (first.MessageId, again.MessageId));
    }

    [Fact]
    public void ToMessage_sets_subject_correlation_content_type_and_filterable_properties()
    {
        var message = ServiceBusEventPublisher.ToMessage(Revoked);

        Assert.Equal(("CredentialRevoked", "corr-2", "application/json"), (message.Subject, message.CorrelationId, message.ContentType));
        Assert.Equal("CredentialRevoked", message.ApplicationProperties["eventType"]);
        Assert.Equal(Records.Time, message.ApplicationProperties["occurredAt"]);
    }

    [Fact]
    public void ToMessage_body_is_the_contract_json_of_the_event()
    {
        var message = ServiceBusEventPublisher.ToMessage(Revoked);

        Assert.Equal(Revoked, JsonSerializer.Deserialize(message.Body.ToString(), ContractsJsonContext.Default.CredentialRevoked));
        using var json = JsonDocument.Parse(message.Body.ToString());
        Assert.Equal("CredentialRevoked", json.RootElement.GetProperty("eventType").GetString());
    }
}
