namespace Pipeline.Core.Stages.Revoke;

/// <summary>One data row of a bulk revocation file: its row number (1 = the header), the id it named, and what came of it.</summary>
public sealed record BulkRevocationRow(int Row, string CredentialId, RevocationOutcome Outcome);

/// <summary>
/// The result of a bulk revocation file: a file-level problem (nothing revoked); or <see cref="Refused"/>, the rows
/// that cannot be revoked as written (<see cref="RevocationOutcome.Rejected"/> with their row numbers; nothing
/// revoked); or one result per data row.
/// </summary>
public sealed record BulkRevocationReport(string? FileError, IReadOnlyList<BulkRevocationRow> Rows)
{
    /// <summary>The file was refused whole because of the rows in <see cref="Rows"/>: nothing was revoked.</summary>
    public bool Refused { get; init; }

    /// <summary>For a refused file: nothing revoked, how many rows to fix, and the first of them.</summary>
    public string RefusalDetail => Rows.Count == 0 ? "" :
        $"Nothing was revoked: {Rows.Count} row{(Rows.Count == 1 ? "" : "s")} to fix first (\"rows\" lists each); row {Rows[0].Row}, {Rows[0].Outcome.Message}.";

    public int RevokedCount => Rows.Count(r => r.Outcome is RevocationOutcome.Revoked);

    public int FailedCount => Rows.Count(r => r.Outcome is RevocationOutcome.Rejected or RevocationOutcome.NotFound or RevocationOutcome.NotIssued);
}
