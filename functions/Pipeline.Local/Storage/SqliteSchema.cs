using Microsoft.Data.Sqlite;

namespace Pipeline.Local.Storage;

/// <summary>
/// The schema of <c>pipeline.db</c> as numbered migrations. <c>schema_version</c> records the last one applied;
/// each runs once, in an immediate transaction, so two processes opening a new file at once do not both apply it.
/// Times are ISO 8601 round-trip text (offset kept) in the ledgers and Unix milliseconds in the queue, where they
/// are compared.
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE events (
            event_id     TEXT NOT NULL PRIMARY KEY,
            learner_id   TEXT NOT NULL,
            source       TEXT NOT NULL,
            activity_id  TEXT NOT NULL,
            completed_at TEXT NOT NULL,
            outcome      TEXT NOT NULL,
            grade        TEXT NULL,
            score        TEXT NULL
        );
        CREATE INDEX ix_events_learner ON events (learner_id);

        CREATE TABLE learners (
            learner_id  TEXT NOT NULL PRIMARY KEY,
            email       TEXT NOT NULL,
            given_name  TEXT NULL,
            family_name TEXT NULL
        );

        CREATE TABLE earned (
            learner_id         TEXT NOT NULL,
            achievement_id     TEXT NOT NULL,
            awarded_at         TEXT NOT NULL,
            credential_id      TEXT NOT NULL,
            evidence_event_ids TEXT NOT NULL,
            PRIMARY KEY (learner_id, achievement_id)
        );

        CREATE TABLE credentials (
            credential_id     TEXT NOT NULL PRIMARY KEY,
            issuer_id         TEXT NOT NULL,
            achievement_id    TEXT NOT NULL,
            learner_id        TEXT NOT NULL,
            awarded_at        TEXT NOT NULL,
            issued_at         TEXT NOT NULL,
            status_list_id    TEXT NOT NULL,
            status_list_index INTEGER NOT NULL,
            recipient_salt    TEXT NOT NULL,
            state             TEXT NOT NULL,
            revocation_reason TEXT NULL,
            revoked_at        TEXT NULL
        );
        CREATE INDEX ix_credentials_learner ON credentials (learner_id);

        CREATE TABLE claims (
            credential_id TEXT NOT NULL PRIMARY KEY,
            token_hash    TEXT NOT NULL,
            expires_at    TEXT NOT NULL,
            sent_at       TEXT NULL
        );
        CREATE INDEX ix_claims_token_hash ON claims (token_hash);

        CREATE TABLE audit (
            entry_id      TEXT NOT NULL PRIMARY KEY,
            credential_id TEXT NOT NULL,
            action        TEXT NOT NULL,
            actor         TEXT NOT NULL,
            at            TEXT NOT NULL,
            reason        TEXT NULL
        );
        CREATE INDEX ix_audit_credential ON audit (credential_id);

        CREATE TABLE integration_events (
            event_id       TEXT NOT NULL PRIMARY KEY,
            event_type     TEXT NOT NULL,
            correlation_id TEXT NOT NULL,
            occurred_at    TEXT NOT NULL,
            body           TEXT NOT NULL
        );

        CREATE TABLE queue_messages (
            seq           INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id    TEXT NOT NULL UNIQUE,
            queue         TEXT NOT NULL,
            body          TEXT NOT NULL,
            inserted_at   INTEGER NOT NULL,
            visible_at    INTEGER NOT NULL,
            dequeue_count INTEGER NOT NULL DEFAULT 0,
            pop_receipt   TEXT NULL,
            poison_reason TEXT NULL
        );
        CREATE INDEX ix_queue_messages_visible ON queue_messages (queue, visible_at, seq);
        """,
        """
        CREATE TABLE statuslists (
            issuer_id         TEXT NOT NULL,
            number            INTEGER NOT NULL,
            list_id           TEXT NOT NULL,
            length            INTEGER NOT NULL,
            permutation_key   BLOB NOT NULL,
            next_counter      INTEGER NOT NULL,
            bits              BLOB NOT NULL,
            version           INTEGER NOT NULL,
            published_version INTEGER NULL,
            PRIMARY KEY (issuer_id, number),
            UNIQUE (issuer_id, list_id)
        );
        CREATE INDEX ix_statuslists_unpublished ON statuslists (version, published_version);
        """,
        // A receive takes the oldest visible messages: walking (queue, seq) in order and skipping the few hidden ones
        // stops after LIMIT rows; the (queue, visible_at, seq) index made it collect and sort every visible message
        // of the queue on each receive (quadratic over a 50,000-message drop).
        """
        DROP INDEX ix_queue_messages_visible;
        CREATE INDEX ix_queue_messages_order ON queue_messages (queue, seq, visible_at);
        """,
        // The "send me a new claim link" form finds learners by email: email_key is RecipientIdentity.NormalizeEmail(email),
        // written by the upsert (SQLite's lower() folds ASCII only, so existing rows are backfilled with it and the
        // next completion of such a learner rewrites the key).
        """
        ALTER TABLE learners ADD COLUMN email_key TEXT NULL;
        UPDATE learners SET email_key = lower(trim(email));
        CREATE INDEX ix_learners_email_key ON learners (email_key);
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);", cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var current = await connection.ScalarAsync<long?>("SELECT MAX(version) FROM schema_version;", cancellationToken, transaction) ?? 0;
        if (current > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"{connection.DataSource}: schema version {current} is newer than this build knows ({Migrations.Length}); use a newer build.");
        }
        for (var version = (int)current + 1; version <= Migrations.Length; version++)
        {
            await connection.ExecuteAsync(Migrations[version - 1], cancellationToken, transaction);
            await connection.ExecuteAsync("INSERT INTO schema_version (version) VALUES ($v);", cancellationToken, transaction, ("$v", version));
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
