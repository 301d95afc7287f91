using System.Globalization;
using Microsoft.Data.Sqlite;
using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Storage;

/// <summary>The <c>events</c> table: one row per content-derived event id, indexed by learner.</summary>
internal sealed class SqliteEventLedger(SqliteDatabase database) : IEventLedger
{
    public Task<bool> TryAddAsync(CompletionEvent completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return database.WriteAsync(scope => scope.Execute(
            """
            INSERT INTO events (event_id, learner_id, source, activity_id, completed_at, outcome, grade, score)
            VALUES ($id, $learner, $source, $activity, $completed, $outcome, $grade, $score)
            ON CONFLICT (event_id) DO NOTHING;
            """,
            ("$id", completion.Id),
            ("$learner", completion.LearnerId),
            ("$source", completion.Source),
            ("$activity", completion.ActivityId),
            ("$completed", SqliteCommands.ToText(completion.CompletedAt)),
            ("$outcome", completion.Outcome.ToString()),
            ("$grade", completion.Grade),
            ("$score", completion.Score?.ToString(CultureInfo.InvariantCulture))) == 1, cancellationToken);
    }

    public Task<IReadOnlyList<CompletionEvent>> GetByLearnerAsync(string learnerId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<CompletionEvent>>(
            scope => scope.Query("SELECT * FROM events WHERE learner_id = $learner ORDER BY rowid;", Read, ("$learner", learnerId)),
            cancellationToken);

    private static CompletionEvent Read(SqliteDataReader reader) => new()
    {
        Source = reader.ReadString("source"),
        LearnerId = reader.ReadString("learner_id"),
        ActivityId = reader.ReadString("activity_id"),
        CompletedAt = reader.ReadTime("completed_at"),
        Outcome = Enum.Parse<CompletionOutcome>(reader.ReadString("outcome")),
        Grade = reader.ReadNullableString("grade"),
        Score = reader.ReadNullableString("score") is { } score ? decimal.Parse(score, NumberStyles.Number, CultureInfo.InvariantCulture) : null,
    };
}
