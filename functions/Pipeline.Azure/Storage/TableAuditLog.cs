using Azure;
using Azure.Data.Tables;
using Pipeline.Core.Storage;

namespace Pipeline.Azure.Storage;

/// <summary><see cref="IAuditLog"/> on a table: partition = credential id, row = entry id; insert-if-absent through AddEntity and its 409.</summary>
public sealed class TableAuditLog(TableClient table) : IAuditLog
{
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var entity = new TableEntity(StorageNames.Key(entry.CredentialId), StorageNames.Key(entry.EntryId))
        {
            ["EntryId"] = entry.EntryId,
            ["CredentialId"] = entry.CredentialId,
            ["Action"] = entry.Action,
            ["Actor"] = entry.Actor,
            ["At"] = TableValues.Time(entry.At),
            ["Reason"] = entry.Reason,
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException exception) when (PipelineTables.IsConflict(exception))
        {
            // Insert-if-absent: the entry is already recorded (a retried stage).
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> GetByCredentialAsync(string credentialId, CancellationToken cancellationToken)
    {
        var rows = await PipelineTables.QueryPartitionAsync(table, StorageNames.Key(credentialId), cancellationToken);
        return rows.Select(entity => new AuditEntry
        {
            EntryId = TableValues.ReadString(entity, "EntryId"),
            CredentialId = TableValues.ReadString(entity, "CredentialId"),
            Action = TableValues.ReadString(entity, "Action"),
            Actor = TableValues.ReadString(entity, "Actor"),
            At = TableValues.ReadTime(entity, "At"),
            Reason = entity.GetString("Reason"),
        }).ToList();
    }
}
