using Azure;
using Azure.Data.Tables;
using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;

namespace Pipeline.Azure.Storage;

/// <summary><see cref="IEventLedger"/> on a table: partition = learner, row = event id; insert-if-absent through AddEntity and its 409.</summary>
public sealed class TableEventLedger(TableClient table) : IEventLedger
{
    public async Task<bool> TryAddAsync(CompletionEvent completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var entity = new TableEntity(StorageNames.Key(completion.LearnerId), StorageNames.Key(completion.Id))
        {
            ["Source"] = completion.Source,
            ["LearnerId"] = completion.LearnerId,
            ["ActivityId"] = completion.ActivityId,
            ["CompletedAt"] = TableValues.Time(completion.CompletedAt),
            ["Outcome"] = completion.Outcome.ToString(),
            ["Grade"] = completion.Grade,
            ["Score"] = TableValues.Decimal(completion.Score),
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

    public async Task<IReadOnlyList<CompletionEvent>> GetByLearnerAsync(string learnerId, CancellationToken cancellationToken)
    {
        var rows = await PipelineTables.QueryPartitionAsync(table, StorageNames.Key(learnerId), cancellationToken);
        return rows.Select(Read).ToList();
    }

    private static CompletionEvent Read(TableEntity entity) => new()
    {
        Source = TableValues.ReadString(entity, "Source"),
        LearnerId = TableValues.ReadString(entity, "LearnerId"),
        ActivityId = TableValues.ReadString(entity, "ActivityId"),
        CompletedAt = TableValues.ReadTime(entity, "CompletedAt"),
        Outcome = Enum.Parse<CompletionOutcome>(TableValues.ReadString(entity, "Outcome")),
        Grade = entity.GetString("Grade"),
        Score = TableValues.ReadDecimal(entity, "Score"),
    };
}
