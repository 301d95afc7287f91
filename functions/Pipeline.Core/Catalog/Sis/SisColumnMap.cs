using Pipeline.Core.Pathways;

namespace Pipeline.Core.Catalog;

/// <summary>
/// How one kind of SIS export maps onto completion facts (<c>catalog/sis-maps/{name}.json</c>, docs/sis-ingest.md).
/// Column names are matched ignoring case and surrounding spaces.
/// </summary>
public sealed record SisColumnMap
{
    /// <summary>The map's name: the file name without <c>.json</c>, the blob folder that selects it, and the <c>sis:{name}</c> source.</summary>
    public required string Name { get; init; }
    public char Delimiter { get; init; } = ',';
    public SisFileEncoding Encoding { get; init; } = SisFileEncoding.Utf8;
    public required string LearnerIdColumn { get; init; }
    public required string EmailColumn { get; init; }
    /// <summary>When set, an email cell without <c>@</c> (a login name) becomes <c>{login}@{domain}</c>.</summary>
    public string? EmailDomain { get; init; }
    public string? GivenNameColumn { get; init; }
    public string? FamilyNameColumn { get; init; }
    /// <summary>A single name column in <c>Last, First</c> form (used instead of given and family name columns).</summary>
    public string? FullNameColumn { get; init; }
    public required SisActivitySource Activity { get; init; }
    public required SisCompletedAtSource CompletedAt { get; init; }
    public required SisOutcomeRule Outcome { get; init; }
    public string? GradeColumn { get; init; }
    public string? ScoreColumn { get; init; }
    /// <summary>Rows that are not completions (withdrawals, a points-possible row): skipped and counted by reason.</summary>
    public IReadOnlyList<SisSkipRule> Skip { get; init; } = [];

    /// <summary>Every column the map reads: a file matches the map when its header has all of them.</summary>
    public IReadOnlyList<string> RequiredColumns =>
        new[] { LearnerIdColumn, EmailColumn, GivenNameColumn, FamilyNameColumn, FullNameColumn, CompletedAt.Column, Outcome.Column, GradeColumn, ScoreColumn }
            .Concat(Activity.Columns)
            .Concat(Skip.Select(s => s.Column))
            .OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
}

/// <summary>The text encoding of a file. A UTF-8 byte order mark is honoured either way.</summary>
public enum SisFileEncoding
{
    Utf8,
    /// <summary>ISO-8859-1. Windows-1252 files read the same except bytes 0x80–0x9F (€, curly quotes, dashes).</summary>
    Latin1,
}

/// <summary>The activity id: the named columns joined by <see cref="Separator"/> (<c>CS</c> + <c>101</c>), or a fixed value.</summary>
public sealed record SisActivitySource
{
    public IReadOnlyList<string> Columns { get; init; } = [];
    public string Separator { get; init; } = "";
    /// <summary>One activity for every row (a Canvas gradebook export is for one course).</summary>
    public string? Value { get; init; }
}

/// <summary>
/// When the activity was completed: a column parsed with <see cref="Formats"/>, or a fixed value (a course end date).
/// A value without an offset is a local time in <see cref="TimeZone"/>.
/// </summary>
public sealed record SisCompletedAtSource
{
    public string? Column { get; init; }
    public string? Value { get; init; }
    public required IReadOnlyList<string> Formats { get; init; }
    public required TimeZoneInfo TimeZone { get; init; }
}

/// <summary>
/// How the outcome is found, first rule that applies: the <see cref="Column"/>'s value looked up in
/// <see cref="Values"/>; else a grade in <see cref="FailingGrades"/> fails and any other grade passes; else a score
/// below <see cref="PassingScore"/> fails and one at or above passes; else <see cref="Default"/>.
/// </summary>
public sealed record SisOutcomeRule
{
    public string? Column { get; init; }
    /// <summary>Cell value (ignoring case and surrounding spaces) to outcome.</summary>
    public IReadOnlyDictionary<string, CompletionOutcome> Values { get; init; } = new Dictionary<string, CompletionOutcome>();
    public IReadOnlyList<string> FailingGrades { get; init; } = [];
    public decimal? PassingScore { get; init; }
    public CompletionOutcome Default { get; init; } = CompletionOutcome.Completed;
}

/// <summary>Rows whose <see cref="Column"/> holds one of <see cref="Values"/> (ignoring case and surrounding spaces) are skipped.</summary>
public sealed record SisSkipRule
{
    public required string Column { get; init; }
    public required IReadOnlyList<string> Values { get; init; }
    public required string Reason { get; init; }
}
