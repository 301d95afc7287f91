using Azure;
using Azure.Data.Tables;
using Pipeline.Core.Storage;

namespace Pipeline.Azure.Storage;

/// <summary>
/// <see cref="IClaimLedger"/> on two tables: claims (partition = credential id), changed only under their ETag, and an
/// index by token hash, written before the claim and checked against it on read (a replaced token no longer resolves).
/// </summary>
public sealed class TableClaimLedger(TableClient claims, TableClient tokens) : IClaimLedger
{
    private const string Row = "claim";
    private const string TokenRow = "token";

    public async Task<ClaimRecord?> GetByCredentialAsync(string credentialId, CancellationToken cancellationToken)
    {
        var entity = await PipelineTables.GetOrNullAsync(claims, StorageNames.Key(credentialId), Row, cancellationToken);
        return entity is null ? null : Read(entity);
    }

    public async Task<ClaimRecord?> GetByTokenHashAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var index = await PipelineTables.GetOrNullAsync(tokens, StorageNames.Key(tokenHash), TokenRow, cancellationToken);
        if (index is null)
        {
            return null;
        }
        var claim = await GetByCredentialAsync(TableValues.ReadString(index, "CredentialId"), cancellationToken);
        return claim?.TokenHash == tokenHash ? claim : null;
    }

    public async Task PutPendingAsync(ClaimRecord claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await tokens.UpsertEntityAsync(
            new TableEntity(StorageNames.Key(claim.TokenHash), TokenRow) { ["CredentialId"] = claim.CredentialId },
            TableUpdateMode.Replace,
            cancellationToken);
        var entity = ToEntity(claim with { SentAt = null });
        while (true)
        {
            var existing = await PipelineTables.GetOrNullAsync(claims, entity.PartitionKey, Row, cancellationToken);
            if (existing is not null && existing.GetString("SentAt") is not null)
            {
                return;
            }
            try
            {
                if (existing is null)
                {
                    await claims.AddEntityAsync(entity, cancellationToken);
                }
                else
                {
                    await claims.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, cancellationToken);
                    await DeleteStaleTokenAsync(TableValues.ReadString(existing, "TokenHash"), claim.TokenHash, cancellationToken);
                }
                return;
            }
            catch (RequestFailedException exception) when (PipelineTables.IsConflict(exception) || PipelineTables.IsPreconditionFailed(exception))
            {
                // Written meanwhile: decide again on the new row.
            }
        }
    }

    public async Task<bool> TryMarkSentAsync(string credentialId, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entity = await PipelineTables.GetOrNullAsync(claims, StorageNames.Key(credentialId), Row, cancellationToken)
                ?? throw new InvalidOperationException($"Credential {credentialId} has no claim; cannot record its email as sent.");
            if (entity.GetString("SentAt") is not null)
            {
                return false;
            }
            entity["SentAt"] = TableValues.Time(sentAt);
            try
            {
                await claims.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException exception) when (PipelineTables.IsPreconditionFailed(exception))
            {
                // Changed since it was read (sent by someone else, or a new token): decide again.
            }
        }
    }

    public async Task<bool> TryRenewAsync(string credentialId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entity = await PipelineTables.GetOrNullAsync(claims, StorageNames.Key(credentialId), Row, cancellationToken);
            if (entity is null || entity.GetString("SentAt") is null)
            {
                return false;
            }
            entity["ExpiresAt"] = TableValues.Time(expiresAt);
            try
            {
                await claims.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException exception) when (PipelineTables.IsPreconditionFailed(exception))
            {
                // Changed since it was read: decide again.
            }
        }
    }

    private async Task DeleteStaleTokenAsync(string oldHash, string newHash, CancellationToken cancellationToken)
    {
        if (oldHash != newHash)
        {
            await tokens.DeleteEntityAsync(StorageNames.Key(oldHash), TokenRow, ETag.All, cancellationToken);
        }
    }

    private static TableEntity ToEntity(ClaimRecord claim) => new(StorageNames.Key(claim.CredentialId), Row)
    {
        ["CredentialId"] = claim.CredentialId,
        ["TokenHash"] = claim.TokenHash,
        ["ExpiresAt"] = TableValues.Time(claim.ExpiresAt),
        ["SentAt"] = TableValues.Time(claim.SentAt),
    };

    private static ClaimRecord Read(TableEntity entity) => new()
    {
        CredentialId = TableValues.ReadString(entity, "CredentialId"),
        TokenHash = TableValues.ReadString(entity, "TokenHash"),
        ExpiresAt = TableValues.ReadTime(entity, "ExpiresAt"),
        SentAt = TableValues.ReadNullableTime(entity, "SentAt"),
    };
}
