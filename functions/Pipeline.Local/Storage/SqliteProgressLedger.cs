using System.Text.Json;
using Microsoft.Data.Sqlite;
using Pipeline.Core.Credentials;
using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Storage;

/// <summary>The <c>learners</c> table (latest profile wins) and the <c>earned</c> table (insert-if-absent on learner and achievement).</summary>
internal sealed class SqliteProgressLedger(SqliteDatabase database) : IProgressLedger
{
    public Task UpsertLearnerAsync(LearnerProfile learner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(learner);
        return database.WriteAsync(scope => scope.Execute(
            """
            INSERT INTO learners (learner_id, email, email_key, given_name, family_name) VALUES ($id, $email, $key, $given, $family)
            ON CONFLICT (learner_id) DO UPDATE SET email = excluded.email, email_key = excluded.email_key, given_name = excluded.given_name, family_name = excluded.family_name;
            """,
            ("$id", learner.LearnerId),
            ("$email", learner.Email),
            ("$key", RecipientIdentity.NormalizeEmail(learner.Email)),
            ("$given", learner.GivenName),
            ("$family", learner.FamilyName)), cancellationToken);
    }

    public Task<LearnerProfile?> GetLearnerAsync(string learnerId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            scope => scope.Query("SELECT * FROM learners WHERE learner_id = $id;", ReadLearner, ("$id", learnerId)).SingleOrDefault(),
            cancellationToken);

    /// <summary>By the indexed <c>email_key</c> column (<see cref="RecipientIdentity.NormalizeEmail"/> of the email, written on upsert).</summary>
    public Task<IReadOnlyList<LearnerProfile>> FindLearnersByEmailAsync(string normalisedEmail, CancellationToken cancellationToken)
    {
        return database.ReadAsync<IReadOnlyList<LearnerProfile>>(scope => scope.Query(
            "SELECT * FROM learners WHERE email_key = $key ORDER BY learner_id;", ReadLearner, ("$key", normalisedEmail)), cancellationToken);
    }

    private static LearnerProfile ReadLearner(SqliteDataReader reader) => new()
    {
        LearnerId = reader.ReadString("learner_id"),
        Email = reader.ReadString("email"),
        GivenName = reader.ReadNullableString("given_name"),
        FamilyName = reader.ReadNullableString("family_name"),
    };

    public Task<bool> TryAddEarnedAsync(EarnedRecord earned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(earned);
        var evidence = JsonSerializer.Serialize(earned.EvidenceEventIds, LocalJsonContext.Default.IReadOnlyListString);
        return database.WriteAsync(scope => scope.Execute(
            """
            INSERT INTO earned (learner_id, achievement_id, awarded_at, credential_id, evidence_event_ids)
            VALUES ($learner, $achievement, $awarded, $credential, $evidence)
            ON CONFLICT (learner_id, achievement_id) DO NOTHING;
            """,
            ("$learner", earned.LearnerId),
            ("$achievement", earned.AchievementId),
            ("$awarded", SqliteCommands.ToText(earned.AwardedAt)),
            ("$credential", earned.CredentialId),
            ("$evidence", evidence)) == 1, cancellationToken);
    }

    public Task<IReadOnlyList<EarnedRecord>> GetEarnedAsync(string learnerId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<EarnedRecord>>(
            scope => scope.Query("SELECT * FROM earned WHERE learner_id = $learner ORDER BY rowid;", ReadEarned, ("$learner", learnerId)),
            cancellationToken);

    private static EarnedRecord ReadEarned(SqliteDataReader reader) => new()
    {
        LearnerId = reader.ReadString("learner_id"),
        AchievementId = reader.ReadString("achievement_id"),
        AwardedAt = reader.ReadTime("awarded_at"),
        CredentialId = reader.ReadString("credential_id"),
        EvidenceEventIds = JsonSerializer.Deserialize(reader.ReadString("evidence_event_ids"), LocalJsonContext.Default.IReadOnlyListString) ?? [],
    };
}
