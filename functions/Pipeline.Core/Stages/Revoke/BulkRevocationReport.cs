namespace Pipeline.Core.Stages.Revoke;

/// <summary>One data row of a bulk revocation file: its row number (1 = the header), the id it named, and what came of it.</summary>
public sealed record BulkRevocationRow(int Row, string CredentialId, RevocationOutcome Outcome);

/// <summary>
/// The result of a bulk revocation file: a file-level problem (nothing processed), or one result per data row. Bad rows
/// are <see cref="RevocationOutcome.Rejected"/> with the row number; the other rows are processed regardless.
/// </summary>
public sealed record BulkRevocationReport(string? FileError, IReadOnlyList<BulkRevocationRow> Rows)
{
    public int RevokedCount => Rows.Count(r => r.Outcome is RevocationOutcome.Revoked);

    public int FailedCount => Rows.Count(r => r.Outcome is RevocationOutcome.Rejected or RevocationOutcome.NotFound or RevocationOutcome.NotIssued);
}
