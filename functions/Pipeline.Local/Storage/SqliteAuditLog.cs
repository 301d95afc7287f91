using Pipeline.Core.Storage;

namespace Pipeline.Local.Storage;

/// <summary>The append-only <c>audit</c> table: insert-if-absent on the deterministic entry id, indexed by credential.</summary>
internal sealed class SqliteAuditLog(SqliteDatabase database) : IAuditLog
{
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return database.WriteAsync(scope => scope.Execute(
            """
            INSERT INTO audit (entry_id, credential_id, action, actor, at, reason) VALUES ($id, $credential, $action, $actor, $at, $reason)
            ON CONFLICT (entry_id) DO NOTHING;
            """,
            ("$id", entry.EntryId),
            ("$credential", entry.CredentialId),
            ("$action", entry.Action),
            ("$actor", entry.Actor),
            ("$at", SqliteCommands.ToText(entry.At)),
            ("$reason", entry.Reason)), cancellationToken);
    }

    public Task<IReadOnlyList<AuditEntry>> GetByCredentialAsync(string credentialId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<AuditEntry>>(scope => scope.Query(
            "SELECT * FROM audit WHERE credential_id = $credential ORDER BY rowid;",
            reader => new AuditEntry
            {
                EntryId = reader.ReadString("entry_id"),
                CredentialId = reader.ReadString("credential_id"),
                Action = reader.ReadString("action"),
                Actor = reader.ReadString("actor"),
                At = reader.ReadTime("at"),
                Reason = reader.ReadNullableString("reason"),
            },
            ("$credential", credentialId)), cancellationToken);
}
