using Microsoft.Data.Sqlite;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Storage;

/// <summary>The <c>claims</c> table: one claim per credential, found by credential or by token hash.</summary>
internal sealed class SqliteClaimLedger(SqliteDatabase database) : IClaimLedger
{
    public async Task<ClaimRecord?> GetByCredentialAsync(string credentialId, CancellationToken cancellationToken) =>
        await GetWhereAsync("SELECT * FROM claims WHERE credential_id = $key;", credentialId, cancellationToken);

    public async Task<ClaimRecord?> GetByTokenHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        await GetWhereAsync("SELECT * FROM claims WHERE token_hash = $key;", tokenHash, cancellationToken);

    /// <summary>Inserts, or replaces the token and expiry of a claim whose email is not yet sent; a sent claim is left as it is.</summary>
    public Task PutPendingAsync(ClaimRecord claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (claim.SentAt is not null)
        {
            throw new ArgumentException($"Claim of {claim.CredentialId}: a pending claim has no SentAt; record sending with TryMarkSentAsync.", nameof(claim));
        }
        return database.WriteAsync(scope => scope.Execute(
            """
            INSERT INTO claims (credential_id, token_hash, expires_at, sent_at) VALUES ($id, $hash, $expires, NULL)
            ON CONFLICT (credential_id) DO UPDATE SET token_hash = excluded.token_hash, expires_at = excluded.expires_at
            WHERE claims.sent_at IS NULL;
            """,
            ("$id", claim.CredentialId),
            ("$hash", claim.TokenHash),
            ("$expires", SqliteCommands.ToText(claim.ExpiresAt))), cancellationToken);
    }

    public Task<bool> TryMarkSentAsync(string credentialId, DateTimeOffset sentAt, CancellationToken cancellationToken) =>
        database.WriteAsync(scope =>
        {
            var changes = scope.Execute(
                "UPDATE claims SET sent_at = $at WHERE credential_id = $id AND sent_at IS NULL;",
                ("$id", credentialId),
                ("$at", SqliteCommands.ToText(sentAt)));
            if (changes == 1)
            {
                return true;
            }
            var exists = scope.Scalar<long>("SELECT COUNT(*) FROM claims WHERE credential_id = $id;", ("$id", credentialId));
            return exists == 1
                ? false
                : throw new InvalidOperationException($"Credential {credentialId} has no claim; put a pending claim before marking its email sent.");
        }, cancellationToken);

    public Task<bool> TryRenewAsync(string credentialId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        database.WriteAsync(scope => scope.Execute(
            "UPDATE claims SET expires_at = $expires WHERE credential_id = $id AND sent_at IS NOT NULL;",
            ("$id", credentialId),
            ("$expires", SqliteCommands.ToText(expiresAt))) == 1, cancellationToken);

    private Task<ClaimRecord?> GetWhereAsync(string sql, string key, CancellationToken cancellationToken) =>
        database.ReadAsync(scope => scope.Query(sql, Read, ("$key", key)).SingleOrDefault(), cancellationToken);

    private static ClaimRecord Read(SqliteDataReader reader) => new()
    {
        CredentialId = reader.ReadString("credential_id"),
        TokenHash = reader.ReadString("token_hash"),
        ExpiresAt = reader.ReadTime("expires_at"),
        SentAt = reader.ReadNullableTime("sent_at"),
    };
}
