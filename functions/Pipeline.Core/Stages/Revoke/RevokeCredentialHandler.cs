using Microsoft.Extensions.Logging;
using Pipeline.Core.Contracts;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Stages.Revoke;

/// <summary>
/// Revokes issued credentials (admin operation, docs/revocation.md): sets the credential's bit in its issuer's
/// revocation status list (a compare-and-swap on the list's version, retried), appends the audit entry
/// <c>revoked:{id}</c>, publishes <see cref="CredentialRevoked"/> with event id <c>revoked:{id}</c>, and finally moves the
/// ledger row to <see cref="CredentialState.Revoked"/> — the commit point: a crash before it is repaired by revoking
/// again, and every earlier step is idempotent. Revocation is final. Nothing is signed here: the
/// <see cref="StatusListPublisher"/> re-signs the changed list on its next run, once for all revocations in between.
/// </summary>
public sealed class RevokeCredentialHandler(
    ICredentialLedger credentials,
    IStatusListStore statusLists,
    IAuditLog audit,
    IEventPublisher events,
    TimeProvider timeProvider,
    ILogger<RevokeCredentialHandler> logger)
{
    public const int MaxReasonLength = 500;
    public const string AuditAction = "revoked";
    public const string CredentialIdColumn = "credential_id";
    public const string ReasonColumn = "reason";
    private const int MaxListAttempts = 1000;

    /// <summary>The id of the audit entry and of the integration event a revocation writes.</summary>
    public static string RevocationId(string credentialId) => $"revoked:{credentialId}";

    /// <summary>Revokes one credential. <paramref name="actor"/> is the authenticated admin (set by the host, never from input).</summary>
    public async Task<RevocationOutcome> RevokeAsync(string credentialId, string reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var id = credentialId?.Trim() ?? "";
        if (Check(id, reason) is { } rejected)
        {
            return rejected;
        }
        var why = reason.Trim();

        var record = await credentials.GetAsync(id, cancellationToken);
        switch (record?.State)
        {
            case null:
                return new RevocationOutcome.NotFound(id);
            case CredentialState.Pending:
                return new RevocationOutcome.NotIssued(id);
            case CredentialState.Revoked:
                Log.AlreadyRevoked(logger, id);
                return new RevocationOutcome.AlreadyRevoked(id, record.RevokedAt, record.RevocationReason);
        }

        await SetBitAsync(record.IssuerId, record.StatusListId, record.StatusListIndex, cancellationToken);
        var at = timeProvider.GetUtcNow();
        var entryId = RevocationId(id);
        await audit.AppendAsync(new AuditEntry { EntryId = entryId, CredentialId = id, Action = AuditAction, Actor = actor, At = at, Reason = why }, cancellationToken);
        await events.PublishAsync(new CredentialRevoked { EventId = entryId, CorrelationId = entryId, OccurredAt = at, CredentialId = id, Reason = why, Actor = actor }, cancellationToken);
        await credentials.UpdateStateAsync(id, CredentialState.Revoked, why, at, cancellationToken);
        Log.Revoked(logger, id, actor, record.IssuerId, record.StatusListId, record.StatusListIndex);
        return new RevocationOutcome.Revoked(id, at);
    }

    /// <summary>
    /// Revokes every credential named in a CSV file with the header <c>credential_id,reason</c> (any order, any case,
    /// more columns ignored; comma-separated, UTF-8; <see cref="BulkRevocationFile"/>). The whole file is read and
    /// checked first: a file-level problem, or any row that cannot be read or is invalid, refuses the whole file with
    /// every such row named, and nothing is revoked. A file that passes is revoked row by row, in order, each row
    /// with its own outcome (revoked, already revoked, not found, not issued).
    /// </summary>
    public async Task<BulkRevocationReport> RevokeManyAsync(Stream csv, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        using var bytes = new MemoryStream();
        await csv.CopyToAsync(bytes, cancellationToken);
        var file = await BulkRevocationFile.ReadAsync(bytes.ToArray(), cancellationToken);
        if (file.FileError is { } error)
        {
            return new BulkRevocationReport(error, []);
        }
        if (file.Invalid.Count > 0)
        {
            Log.BulkRefused(logger, actor, file.Invalid.Count, file.Invalid[0].Row);
            return new BulkRevocationReport(null, file.Invalid) { Refused = true };
        }
        var rows = new List<BulkRevocationRow>();
        foreach (var entry in file.Entries)
        {
            rows.Add(new BulkRevocationRow(entry.Row, entry.CredentialId, await RevokeAsync(entry.CredentialId, entry.Reason, actor, cancellationToken)));
        }
        var report = new BulkRevocationReport(null, rows);
        Log.Bulk(logger, actor, rows.Count, report.RevokedCount, report.FailedCount);
        return report;
    }

    /// <summary>Why a revocation request is invalid as written (no id; no, a too long or a multi-line reason), or null.</summary>
    public static RevocationOutcome.Rejected? Check(string credentialId, string? reason)
    {
        if (string.IsNullOrWhiteSpace(credentialId))
        {
            return new RevocationOutcome.Rejected(CredentialIdColumn, "expected the id of the credential to revoke, found none");
        }
        var text = reason?.Trim() ?? "";
        if (text.Length == 0)
        {
            return new RevocationOutcome.Rejected(ReasonColumn, $"expected a reason of 1–{MaxReasonLength} characters, found none");
        }
        if (text.Length > MaxReasonLength)
        {
            return new RevocationOutcome.Rejected(ReasonColumn, $"expected a reason of 1–{MaxReasonLength} characters, found {text.Length}");
        }
        return text.Any(char.IsControl) ? new RevocationOutcome.Rejected(ReasonColumn, "expected one line of text, found a line break or control character") : null;
    }

    private async Task SetBitAsync(string issuerId, string listId, int index, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxListAttempts; attempt++)
        {
            var current = await statusLists.GetListAsync(issuerId, listId, cancellationToken)
                ?? throw new InvalidOperationException($"The ledger places a credential in status list {issuerId}/{listId}, which does not exist.");
            var list = current.ToList();
            if (list.Get(index))
            {
                return;
            }
            list.Set(index);
            if (await statusLists.TrySetBitsAsync(issuerId, listId, list.ToBytes(), current.Version, cancellationToken))
            {
                return;
            }
        }
        throw new InvalidOperationException($"Could not set bit {index} of status list {issuerId}/{listId} after {MaxListAttempts} attempts; the store keeps refusing.");
    }
}
