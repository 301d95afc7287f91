using Pipeline.Core.Contracts;

namespace Pipeline.Core.Stages.Ingest;

/// <summary>
/// What became of one row of a SIS file. <see cref="Row"/> is the line where the record starts, counting the header
/// as line 1 (the spreadsheet row, unless an earlier cell holds line breaks).
/// </summary>
public abstract record SisRowResult(int Row)
{
    /// <summary>A completion, sent to the <c>completions</c> queue (or, in a dry run, that would be).</summary>
    public sealed record Accepted(int Row, RecordCompletion Message) : SisRowResult(Row)
    {
        /// <summary>The completion's event id (<see cref="Pathways.CompletionEvent.Id"/>), derived once when the row was read.</summary>
        public required string EventId { get; init; }
    }

    /// <summary>A row with bad fields (every one is listed), copied to the <c>.rejected.csv</c> to be fixed and dropped again.</summary>
    public sealed record Rejected(int Row, IReadOnlyList<SisFieldError> Errors, IReadOnlyList<string> Fields) : SisRowResult(Row);

    /// <summary>A row that is not a completion by the map's skip rules (a withdrawal, Canvas's points-possible row).</summary>
    public sealed record Skipped(int Row, string Reason) : SisRowResult(Row);

    /// <summary>A completion of an activity that no pathway uses.</summary>
    public sealed record Ignored(int Row, string ActivityId) : SisRowResult(Row);

    /// <summary>The same completion as an earlier row of the file (same event id); not sent twice.</summary>
    public sealed record Duplicate(int Row, int EarlierRow, string EventId) : SisRowResult(Row);

    /// <summary>The whole file cannot be read: no such blob, no map fits its header, or its map's columns are missing.</summary>
    public sealed record FileRejected(string Problem) : SisRowResult(1);
}

/// <summary>One bad field: its column (null for a problem with the record itself), what was expected, and the cell as found.</summary>
public sealed record SisFieldError(string? Column, string Expected, string Found)
{
    /// <summary><c>sis-inbox/banner/2026FA.csv row 412, column "SHRTCKG_GRDE_DATE": expected a date like 14-Dec-2026, found "14/31/2026"</c>.</summary>
    public string Describe(string file, int row) =>
        $"{file} row {row}{(Column is null ? "" : $", column \"{Column}\"")}: {DescribeProblem()}";

    /// <summary>The problem without its place: <c>expected ..., found "..."</c>.</summary>
    public string DescribeProblem() => $"expected {Expected}, found {(Found.Length == 0 ? "an empty cell" : "\"" + Found + "\"")}";
}
