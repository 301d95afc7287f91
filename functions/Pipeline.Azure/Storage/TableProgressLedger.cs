using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Pipeline.Core.Credentials;
using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;

namespace Pipeline.Azure.Storage;

/// <summary>
/// <see cref="IProgressLedger"/> on one table partitioned by learner: row <c>profile</c> (replaced on upsert, so a
/// cleared name is cleared) and rows <c>earned:{achievement}</c> (insert-if-absent through AddEntity and its 409).
/// A secondary index by email lives in the same table: partition <c>email:{normalised email}</c>, one row per learner id
/// (the escaped keys never contain a raw ':', so it cannot meet a learner's partition). It is written before the
/// profile and checked against the profile on read, so an email changed since (a stale index row) is not found.
/// </summary>
public sealed class TableProgressLedger(TableClient table) : IProgressLedger
{
    private const string ProfileRow = "profile";
    private const string EarnedPrefix = "earned:";
    private const string EmailPartitionPrefix = "email:";

    public async Task UpsertLearnerAsync(LearnerProfile learner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(learner);
        await table.UpsertEntityAsync(
            new TableEntity(EmailPartition(RecipientIdentity.NormalizeEmail(learner.Email)), StorageNames.Key(learner.LearnerId)) { ["LearnerId"] = learner.LearnerId },
            TableUpdateMode.Replace,
            cancellationToken);
        var entity = new TableEntity(StorageNames.Key(learner.LearnerId), ProfileRow)
        {
            ["LearnerId"] = learner.LearnerId,
            ["Email"] = learner.Email,
            ["GivenName"] = learner.GivenName,
            ["FamilyName"] = learner.FamilyName,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<LearnerProfile?> GetLearnerAsync(string learnerId, CancellationToken cancellationToken)
    {
        var entity = await PipelineTables.GetOrNullAsync(table, StorageNames.Key(learnerId), ProfileRow, cancellationToken);
        return entity is null ? null : new LearnerProfile
        {
            LearnerId = TableValues.ReadString(entity, "LearnerId"),
            Email = TableValues.ReadString(entity, "Email"),
            GivenName = entity.GetString("GivenName"),
            FamilyName = entity.GetString("FamilyName"),
        };
    }

    public async Task<IReadOnlyList<LearnerProfile>> FindLearnersByEmailAsync(string normalisedEmail, CancellationToken cancellationToken)
    {
        var found = new List<LearnerProfile>();
        foreach (var row in await PipelineTables.QueryPartitionAsync(table, EmailPartition(normalisedEmail), cancellationToken))
        {
            if (await GetLearnerAsync(TableValues.ReadString(row, "LearnerId"), cancellationToken) is { } learner
                && RecipientIdentity.NormalizeEmail(learner.Email) == normalisedEmail)
            {
                found.Add(learner);
            }
        }
        return [.. found.OrderBy(l => l.LearnerId, StringComparer.Ordinal)];
    }

    private static string EmailPartition(string normalisedEmail) => EmailPartitionPrefix + StorageNames.Key(normalisedEmail);

    public async Task<bool> TryAddEarnedAsync(EarnedRecord earned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(earned);
        var entity = new TableEntity(StorageNames.Key(earned.LearnerId), EarnedPrefix + StorageNames.Key(earned.AchievementId))
        {
            ["LearnerId"] = earned.LearnerId,
            ["AchievementId"] = earned.AchievementId,
            ["AwardedAt"] = TableValues.Time(earned.AwardedAt),
            ["CredentialId"] = earned.CredentialId,
            ["EvidenceEventIds"] = JsonSerializer.Serialize(earned.EvidenceEventIds, AzureJsonContext.Default.IReadOnlyListString),
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (PipelineTables.IsConflict(exception))
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<EarnedRecord>> GetEarnedAsync(string learnerId, CancellationToken cancellationToken)
    {
        var rows = await PipelineTables.QueryPartitionAsync(table, StorageNames.Key(learnerId), cancellationToken);
        return rows.Where(r => r.RowKey.StartsWith(EarnedPrefix, StringComparison.Ordinal)).Select(entity => new EarnedRecord
        {
            LearnerId = TableValues.ReadString(entity, "LearnerId"),
            AchievementId = TableValues.ReadString(entity, "AchievementId"),
            AwardedAt = TableValues.ReadTime(entity, "AwardedAt"),
            CredentialId = TableValues.ReadString(entity, "CredentialId"),
            EvidenceEventIds = JsonSerializer.Deserialize(TableValues.ReadString(entity, "EvidenceEventIds"), AzureJsonContext.Default.IReadOnlyListString) ?? [],
        }).ToList();
    }
}
