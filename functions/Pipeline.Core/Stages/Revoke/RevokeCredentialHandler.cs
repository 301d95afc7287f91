using CsvHelper;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Contracts;
using Pipeline.Core.Csv;
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
        if (id.Length == 0)
        {
            return new RevocationOutcome.Rejected(CredentialIdColumn, "expected the id of the credential to revoke, found none");
        }
        if (CheckReason(reason) is { } problem)
        {
            return new RevocationOutcome.Rejected(ReasonColumn, problem);
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
    /// more columns ignored; comma-separated, UTF-8). Rows are processed in order; each gets its own outcome, and a bad
    /// row never stops the others. A file without those columns is rejected as a whole.
    /// </summary>
    public async Task<BulkRevocationReport> RevokeManyAsync(Stream csv, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var malformed = new Dictionary<long, CsvMalformedReason>();
        await using var reader = CsvReader.Create(csv, CsvInput.Options(64 * 1024, record => malformed[record.RecordNumber] = record.Reason), leaveOpen: true);
        await reader.ReadHeaderAsync(cancellationToken);
        if (reader.Headers.Count == 0)
        {
            return new BulkRevocationReport($"The file is empty: expected the header \"{CredentialIdColumn},{ReasonColumn}\".", []);
        }
        var headers = reader.Headers.Select(h => h.Trim()).ToList();
        var idColumn = headers.FindIndex(h => string.Equals(h, CredentialIdColumn, StringComparison.OrdinalIgnoreCase));
        var reasonColumn = headers.FindIndex(h => string.Equals(h, ReasonColumn, StringComparison.OrdinalIgnoreCase));
        if (idColumn < 0 || reasonColumn < 0)
        {
            return new BulkRevocationReport(
                $"Row 1 (header): expected the columns \"{CredentialIdColumn}\" and \"{ReasonColumn}\", found {string.Join(", ", headers.Select(h => $"\"{h}\""))}.",
                []);
        }

        var rows = new List<BulkRevocationRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = checked((int)reader.LineNumber);
            string Cell(int column) => column < reader.FieldCount ? reader.GetString(column) : "";
            var id = Cell(idColumn).Trim();
            var outcome = malformed.Remove(reader.RowNumber + 1, out var quoting)
                ? new RevocationOutcome.Rejected("row", $"expected quotes only around whole cells, with quotes inside a cell doubled (\"\"); found {Describe(quoting)}")
                : await RevokeAsync(id, Cell(reasonColumn), actor, cancellationToken);
            rows.Add(new BulkRevocationRow(row, id, outcome));
        }
        var report = new BulkRevocationReport(null, rows);
        Log.Bulk(logger, actor, rows.Count, report.RevokedCount, report.FailedCount);
        return report;
    }

    private static string? CheckReason(string? reason)
    {
        var text = reason?.Trim() ?? "";
        if (text.Length == 0)
        {
            return $"expected a reason of 1–{MaxReasonLength} characters, found none";
        }
        if (text.Length > MaxReasonLength)
        {
            return $"expected a reason of 1–{MaxReasonLength} characters, found {text.Length}";
        }
        return text.Any(char.IsControl) ? "expected one line of text, found a line break or control character" : null;
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a stray quote",
        CsvMalformedReason.TextAfterClosingQuote => "text after a closing quote",
        CsvMalformedReason.UnterminatedQuote => "a quote that is never closed",
        _ => reason.ToString(),
    };

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
