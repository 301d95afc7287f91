using Microsoft.Data.Sqlite;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Storage;

/// <summary>The <c>credentials</c> table: insert-if-absent on the credential id, indexed by learner.</summary>
internal sealed class SqliteCredentialLedger(SqliteDatabase database) : ICredentialLedger
{
    public Task<(CredentialRecord Record, bool Added)> TryAddAsync(CredentialRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return database.WriteAsync(scope =>
        {
            var changes = scope.Execute(
                """
                INSERT INTO credentials (credential_id, issuer_id, achievement_id, learner_id, awarded_at, issued_at,
                                         status_list_id, status_list_index, recipient_salt, state, revocation_reason, revoked_at)
                VALUES ($id, $issuer, $achievement, $learner, $awarded, $issued, $list, $index, $salt, $state, $reason, $revoked)
                ON CONFLICT (credential_id) DO NOTHING;
                """,
                ("$id", record.CredentialId),
                ("$issuer", record.IssuerId),
                ("$achievement", record.AchievementId),
                ("$learner", record.LearnerId),
                ("$awarded", SqliteCommands.ToText(record.AwardedAt)),
                ("$issued", SqliteCommands.ToText(record.IssuedAt)),
                ("$list", record.StatusListId),
                ("$index", record.StatusListIndex),
                ("$salt", record.RecipientSalt),
                ("$state", record.State.ToString()),
                ("$reason", record.RevocationReason),
                ("$revoked", SqliteCommands.ToText(record.RevokedAt)));
            var stored = scope.Query(SelectById, Read, ("$id", record.CredentialId)).SingleOrDefault()
                ?? throw new InvalidOperationException($"Credential {record.CredentialId} vanished while it was being added.");
            return (stored, changes == 1);
        }, cancellationToken);
    }

    public Task<CredentialRecord?> GetAsync(string credentialId, CancellationToken cancellationToken) =>
        database.ReadAsync(scope => scope.Query(SelectById, Read, ("$id", credentialId)).SingleOrDefault(), cancellationToken);

    /// <summary>
    /// Revoked and Suspended record the reason and time; Issued and Pending clear them (a suspension lifted).
    /// Throws when the credential is not in the ledger: a state change for an unknown credential is a fault.
    /// </summary>
    public Task UpdateStateAsync(string credentialId, CredentialState state, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var withdrawn = state is CredentialState.Revoked or CredentialState.Suspended;
        return database.WriteAsync(scope =>
        {
            var changes = scope.Execute(
                "UPDATE credentials SET state = $state, revocation_reason = $reason, revoked_at = $at WHERE credential_id = $id;",
                ("$id", credentialId),
                ("$state", state.ToString()),
                ("$reason", withdrawn ? reason : null),
                ("$at", withdrawn ? SqliteCommands.ToText(at) : null));
            return changes == 0
                ? throw new InvalidOperationException($"Credential {credentialId} is not in the ledger; cannot move it to {state}.")
                : changes;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<CredentialRecord>> GetByLearnerAsync(string learnerId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<CredentialRecord>>(
            scope => scope.Query("SELECT * FROM credentials WHERE learner_id = $learner ORDER BY rowid;", Read, ("$learner", learnerId)),
            cancellationToken);

    /// <summary>How many credentials each achievement has, by state (the embedded host's summaries; not part of the port).</summary>
    public Task<IReadOnlyList<(string AchievementId, CredentialState State, int Count)>> CountByAchievementAsync(CancellationToken cancellationToken)
    {
        return database.ReadAsync<IReadOnlyList<(string AchievementId, CredentialState State, int Count)>>(scope => scope.Query(
            "SELECT achievement_id, state, COUNT(*) FROM credentials GROUP BY achievement_id, state ORDER BY achievement_id, state;",
            reader => (reader.GetString(0), Enum.Parse<CredentialState>(reader.GetString(1)), reader.GetInt32(2))), cancellationToken);
    }

    private const string SelectById = "SELECT * FROM credentials WHERE credential_id = $id;";

    private static CredentialRecord Read(SqliteDataReader reader) => new()
    {
        CredentialId = reader.ReadString("credential_id"),
        IssuerId = reader.ReadString("issuer_id"),
        AchievementId = reader.ReadString("achievement_id"),
        LearnerId = reader.ReadString("learner_id"),
        AwardedAt = reader.ReadTime("awarded_at"),
        IssuedAt = reader.ReadTime("issued_at"),
        StatusListId = reader.ReadString("status_list_id"),
        StatusListIndex = checked((int)reader.ReadInt64("status_list_index")),
        RecipientSalt = reader.ReadString("recipient_salt"),
        State = Enum.Parse<CredentialState>(reader.ReadString("state")),
        RevocationReason = reader.ReadNullableString("revocation_reason"),
        RevokedAt = reader.ReadNullableTime("revoked_at"),
    };
}
