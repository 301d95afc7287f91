using Azure;
using Azure.Data.Tables;
using Pipeline.Core.Storage;

namespace Pipeline.Azure.Storage;

/// <summary>
/// <see cref="ICredentialLedger"/> on two tables: the credential rows (partition = credential id; insert-if-absent
/// through AddEntity and its 409; state changes replace the row under its ETag) and an index by learner, written
/// before the row (so a credential is never missing from its learner's list) and checked against the row on read.
/// </summary>
public sealed class TableCredentialLedger(TableClient credentials, TableClient byLearner) : ICredentialLedger
{
    private const string Row = "credential";

    public async Task<(CredentialRecord Record, bool Added)> TryAddAsync(CredentialRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await byLearner.UpsertEntityAsync(
            new TableEntity(StorageNames.Key(record.LearnerId), StorageNames.Key(record.CredentialId)) { ["CredentialId"] = record.CredentialId },
            TableUpdateMode.Replace,
            cancellationToken);
        try
        {
            await credentials.AddEntityAsync(ToEntity(record), cancellationToken);
            return (record, true);
        }
        catch (RequestFailedException exception) when (PipelineTables.IsConflict(exception))
        {
            var existing = await GetAsync(record.CredentialId, cancellationToken)
                ?? throw new InvalidOperationException($"Credential {record.CredentialId} conflicted on insert but cannot be read.", exception);
            return (existing, false);
        }
    }

    public async Task<CredentialRecord?> GetAsync(string credentialId, CancellationToken cancellationToken)
    {
        var entity = await PipelineTables.GetOrNullAsync(credentials, StorageNames.Key(credentialId), Row, cancellationToken);
        return entity is null ? null : Read(entity);
    }

    public async Task UpdateStateAsync(string credentialId, CredentialState state, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var withdrawn = state is CredentialState.Revoked or CredentialState.Suspended;
        while (true)
        {
            var entity = await PipelineTables.GetOrNullAsync(credentials, StorageNames.Key(credentialId), Row, cancellationToken)
                ?? throw new InvalidOperationException($"Credential {credentialId} is not in the ledger; cannot move it to {state}.");
            entity["State"] = state.ToString();
            entity["RevocationReason"] = withdrawn ? reason : null;
            entity["RevokedAt"] = withdrawn ? TableValues.Time(at) : null;
            try
            {
                await credentials.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException exception) when (PipelineTables.IsPreconditionFailed(exception))
            {
                // Changed since it was read: apply the change to the new row.
            }
        }
    }

    public async Task<IReadOnlyList<CredentialRecord>> GetByLearnerAsync(string learnerId, CancellationToken cancellationToken)
    {
        var index = await PipelineTables.QueryPartitionAsync(byLearner, StorageNames.Key(learnerId), cancellationToken);
        var records = new List<CredentialRecord>();
        foreach (var row in index)
        {
            if (await GetAsync(TableValues.ReadString(row, "CredentialId"), cancellationToken) is { } record && record.LearnerId == learnerId)
            {
                records.Add(record);
            }
        }
        return records;
    }

    private static TableEntity ToEntity(CredentialRecord record) => new(StorageNames.Key(record.CredentialId), Row)
    {
        ["CredentialId"] = record.CredentialId,
        ["IssuerId"] = record.IssuerId,
        ["AchievementId"] = record.AchievementId,
        ["LearnerId"] = record.LearnerId,
        ["AwardedAt"] = TableValues.Time(record.AwardedAt),
        ["IssuedAt"] = TableValues.Time(record.IssuedAt),
        ["StatusListId"] = record.StatusListId,
        ["StatusListIndex"] = record.StatusListIndex,
        ["RecipientSalt"] = record.RecipientSalt,
        ["State"] = record.State.ToString(),
        ["RevocationReason"] = record.RevocationReason,
        ["RevokedAt"] = TableValues.Time(record.RevokedAt),
    };

    private static CredentialRecord Read(TableEntity entity) => new()
    {
        CredentialId = TableValues.ReadString(entity, "CredentialId"),
        IssuerId = TableValues.ReadString(entity, "IssuerId"),
        AchievementId = TableValues.ReadString(entity, "AchievementId"),
        LearnerId = TableValues.ReadString(entity, "LearnerId"),
        AwardedAt = TableValues.ReadTime(entity, "AwardedAt"),
        IssuedAt = TableValues.ReadTime(entity, "IssuedAt"),
        StatusListId = TableValues.ReadString(entity, "StatusListId"),
        StatusListIndex = TableValues.ReadInt32(entity, "StatusListIndex"),
        RecipientSalt = TableValues.ReadString(entity, "RecipientSalt"),
        State = Enum.Parse<CredentialState>(TableValues.ReadString(entity, "State")),
        RevocationReason = entity.GetString("RevocationReason"),
        RevokedAt = TableValues.ReadNullableTime(entity, "RevokedAt"),
    };
}
