using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Core.Stages.Ingest;

/// <summary>What ingesting one SIS file did.</summary>
public enum IngestOutcome
{
    /// <summary>The file was read row by row; see the counts.</summary>
    Ingested,
    /// <summary>The file as a whole could not be read (no map fits its header); nothing was sent.</summary>
    FileRejected,
    /// <summary>There is no such blob: it was already processed and moved.</summary>
    NotFound,
}

/// <summary>Row counts: <see cref="Rows"/> = accepted + rejected + duplicate + ignored + skipped.</summary>
public sealed record IngestCounts(int Rows, int Accepted, int Rejected, int Duplicate, int Ignored, int Skipped);

/// <summary>The outcome of <see cref="IngestSisFileHandler.HandleAsync"/> and where its reports are.</summary>
public sealed record IngestReport
{
    public required IngestOutcome Outcome { get; init; }
    /// <summary><c>{container}/{blob}</c>, as in error messages.</summary>
    public required string File { get; init; }
    public string? Map { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required IngestCounts Counts { get; init; }
    /// <summary>Why the whole file was rejected or not found.</summary>
    public string? Problem { get; init; }
    /// <summary>Blob name in <c>sis-reports</c> of the JSON report.</summary>
    public string? ReportBlob { get; init; }
    /// <summary>Blob name in <c>sis-reports</c> of the rejected rows, when there are any.</summary>
    public string? RejectedRowsBlob { get; init; }
    /// <summary>Blob name in <c>sis-processed</c> the file was moved to.</summary>
    public string? ProcessedBlob { get; init; }
}

/// <summary>The <c>{file}.report.json</c> document (docs/sis-ingest.md).</summary>
internal sealed record IngestReportDocument
{
    public required IngestReport Summary { get; init; }
    public required IReadOnlyDictionary<string, int> SkippedByReason { get; init; }
    public required IReadOnlyDictionary<string, int> IgnoredByActivity { get; init; }
    public required IReadOnlyList<RejectionEntry> Rejections { get; init; }
    public required int RejectionsNotListed { get; init; }
    public required IReadOnlyList<DuplicateEntry> Duplicates { get; init; }
    public required int DuplicatesNotListed { get; init; }
}

internal sealed record RejectionEntry(int Row, string? Column, string Expected, string Found, string Message);

internal sealed record DuplicateEntry(int Row, int EarlierRow, string EventId);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, WriteIndented = true)]
[JsonSerializable(typeof(IngestReportDocument))]
internal sealed partial class IngestReportJsonContext : JsonSerializerContext;
