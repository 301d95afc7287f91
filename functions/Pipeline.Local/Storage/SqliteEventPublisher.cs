using System.Text.Json;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Storage;

/// <summary>
/// Integration events in the embedded host: the append-only <c>integration_events</c> table, insert-if-absent on
/// the event id (a re-publish is dropped), each body serialised with <see cref="ContractsJsonContext"/>.
/// </summary>
internal sealed class SqliteEventPublisher(SqliteDatabase database) : IEventPublisher
{
    public Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var body = JsonSerializer.Serialize(integrationEvent, integrationEvent.GetType(), ContractsJsonContext.Default);
        return database.WriteAsync(scope => scope.Execute(
            """
            INSERT INTO integration_events (event_id, event_type, correlation_id, occurred_at, body)
            VALUES ($id, $type, $correlation, $occurred, $body)
            ON CONFLICT (event_id) DO NOTHING;
            """,
            ("$id", integrationEvent.EventId),
            ("$type", integrationEvent.EventType),
            ("$correlation", integrationEvent.CorrelationId),
            ("$occurred", SqliteCommands.ToText(integrationEvent.OccurredAt)),
            ("$body", body)), cancellationToken);
    }

    /// <summary>Every published event in publishing order, as stored (for diagnostics and tests).</summary>
    public Task<IReadOnlyList<PublishedEvent>> ReadAllAsync(CancellationToken cancellationToken)
    {
        return database.ReadAsync<IReadOnlyList<PublishedEvent>>(scope => scope.Query(
            "SELECT event_id, event_type, body FROM integration_events ORDER BY rowid;",
            reader => new PublishedEvent(reader.ReadString("event_id"), reader.ReadString("event_type"), reader.ReadString("body"))), cancellationToken);
    }
}

/// <summary>An integration event as the outbox holds it: its id, type and JSON body.</summary>
internal sealed record PublishedEvent(string EventId, string EventType, string Body);
