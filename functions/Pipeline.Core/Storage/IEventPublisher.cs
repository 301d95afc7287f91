using Pipeline.Core.Contracts;

namespace Pipeline.Core.Storage;

/// <summary>
/// Integration events for other systems (<c>CredentialIssued</c>, <c>CredentialRevoked</c>): a Service Bus topic
/// in Azure, an append-only table in the embedded host. The event id is stable, so a re-publish is deduplicated.
/// </summary>
public interface IEventPublisher
{
    Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken);
}
