using System.Runtime.CompilerServices;
using System.Text.Json;
using CsvHelper;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Stages.Ingest;

/// <summary>What the ingest stage needs from the catalog, and its limits.</summary>
public sealed record SisIngestOptions
{
    public required IReadOnlyList<SisColumnMap> Maps { get; init; }
    /// <summary>Whether some pathway uses an activity id; rows of other activities are ignored, not rejected.</summary>
    public required Func<string, bool> IsKnownActivity { get; init; }
    /// <summary>Messages per <see cref="IMessageSender.SendBatchAsync"/> call.</summary>
    public int BatchSize { get; init; } = 5_000;
    /// <summary>How many rejected (and duplicate) rows the report and the rejected-rows file list; the rest are counted.</summary>
    public int MaxListedRows { get; init; } = 10_000;
}

/// <summary>
/// The SIS ingest stage: reads a CSV dropped in <c>sis-inbox</c> row by row, sends a <see cref="RecordCompletion"/>
/// per good row to <c>completions</c>, writes <c>{file}.report.json</c> and <c>{file}.rejected.csv</c> to
/// <c>sis-reports</c>, and moves the file to <c>sis-processed</c>. Idempotent: event ids come from row content, so
/// processing a file again (a re-drop, or a retry after a crash) sends facts the Evaluate stage already has.
/// </summary>
public sealed class IngestSisFileHandler(
    IBlobStore blobs,
    IMessageSender messages,
    SisIngestOptions options,
    TimeProvider time,
    ILogger<IngestSisFileHandler> logger)
{
    /// <summary>Clocks disagree and time zones shift dates: a completion up to a day ahead of now is accepted.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromDays(1);

    private readonly SisFileReader _reader = new(blobs, options.Maps, options.IsKnownActivity, () => time.GetUtcNow() + FutureTolerance);

    public async Task<IngestReport> HandleAsync(string container, string blobName, CancellationToken cancellationToken)
    {
        var file = $"{container}/{blobName}";
        var startedAt = time.GetUtcNow();
        var selection = await _reader.SelectMapAsync(container, blobName, cancellationToken);
        if (selection.NotFound)
        {
            Log.FileNotFound(logger, file);
            return new IngestReport
            {
                Outcome = IngestOutcome.NotFound,
                File = file,
                StartedAt = startedAt,
                FinishedAt = time.GetUtcNow(),
                Counts = new IngestCounts(0, 0, 0, 0, 0, 0),
                Problem = selection.Problem,
            };
        }
        if (selection.Map is not { } map)
        {
            Log.FileRejected(logger, file, selection.Problem!);
            using var empty = new Tally(file, null, options.MaxListedRows);
            return await FinishAsync(empty, container, blobName, startedAt, selection.Problem, null, cancellationToken);
        }

        Log.IngestStarted(logger, file, map.Name);
        using var tally = new Tally(file, map, options.MaxListedRows);
        // Rows are parsed while the previous batch is being sent (on SQLite's writer thread, or to Azure): at most
        // one send is in flight, so memory holds two batches at most, and batches are sent in file order.
        var batch = new List<OutgoingMessage>(options.BatchSize);
        var sending = Task.CompletedTask;
        try
        {
            await foreach (var row in _reader.ReadRowsAsync(container, blobName, map, tally.SetHeader, cancellationToken))
            {
                if (row is SisRowResult.FileRejected gone)
                {
                    await sending;
                    Log.FileNotFound(logger, file);
                    return new IngestReport
                    {
                        Outcome = IngestOutcome.NotFound,
                        File = file,
                        Map = map.Name,
                        StartedAt = startedAt,
                        FinishedAt = time.GetUtcNow(),
                        Counts = new IngestCounts(0, 0, 0, 0, 0, 0),
                        Problem = gone.Problem,
                    };
                }
                tally.Add(row);
                if (row is SisRowResult.Accepted accepted)
                {
                    batch.Add(new OutgoingMessage(Queues.Completions, RecordCompletionJson.Serialize(accepted.Message, accepted.EventId)));
                    if (batch.Count >= options.BatchSize)
                    {
                        await sending;
                        sending = messages.SendBatchAsync(batch.ToArray(), cancellationToken);
                        batch.Clear();
                    }
                }
            }
            await sending;
            if (batch.Count > 0)
            {
                await messages.SendBatchAsync(batch, cancellationToken);
            }
        }
        finally
        {
            // A read that failed while a batch was in flight: wait for that send, so nothing runs on after the
            // handler returned; the read's exception is the one that propagates.
            await sending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        var counts = tally.Counts;
        Log.IngestFinished(logger, file, counts.Rows, counts.Accepted, counts.Rejected, counts.Duplicate, counts.Ignored, counts.Skipped);
        return await FinishAsync(tally, container, blobName, startedAt, null, map, cancellationToken);
    }

    /// <summary>
    /// Reads the file as <see cref="HandleAsync"/> would, without sending, writing or moving anything. A file that
    /// cannot be read as a whole yields a single <see cref="SisRowResult.FileRejected"/>.
    /// </summary>
    public async IAsyncEnumerable<SisRowResult> DryRunAsync(string container, string blobName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var selection = await _reader.SelectMapAsync(container, blobName, cancellationToken);
        if (selection.Map is not { } map)
        {
            yield return new SisRowResult.FileRejected(selection.Problem!);
            yield break;
        }
        await foreach (var row in _reader.ReadRowsAsync(container, blobName, map, _ => { }, cancellationToken))
        {
            yield return row;
        }
    }

    private async Task<IngestReport> FinishAsync(
        Tally tally, string container, string blobName, DateTimeOffset startedAt, string? problem, SisColumnMap? map, CancellationToken cancellationToken)
    {
        var reportBlob = BlobNames.SisReport(blobName);
        var rejectedBlob = BlobNames.SisRejectedRows(blobName);
        var rejectedCsv = tally.RejectedCsv();
        if (rejectedCsv is null)
        {
            await blobs.DeleteAsync(Containers.SisReports, rejectedBlob, cancellationToken);
        }
        else
        {
            await blobs.PutAsync(Containers.SisReports, rejectedBlob, rejectedCsv, "text/csv; charset=utf-8", cancellationToken);
        }

        var summary = new IngestReport
        {
            Outcome = problem is null ? IngestOutcome.Ingested : IngestOutcome.FileRejected,
            File = $"{container}/{blobName}",
            Map = map?.Name,
            StartedAt = startedAt,
            FinishedAt = time.GetUtcNow(),
            Counts = tally.Counts,
            Problem = problem,
            ReportBlob = reportBlob,
            RejectedRowsBlob = rejectedCsv is null ? null : rejectedBlob,
            ProcessedBlob = blobName,
        };
        var document = tally.Document(summary);
        await blobs.PutAsync(Containers.SisReports, reportBlob,
            JsonSerializer.SerializeToUtf8Bytes(document, IngestReportJsonContext.Default.IngestReportDocument),
            "application/json", cancellationToken);
        await blobs.MoveAsync(container, blobName, Containers.SisProcessed, cancellationToken);
        return summary;
    }

    /// <summary>The counts and bounded lists of one file, and its rejected rows as CSV (bounded by the same limit).</summary>
    private sealed class Tally(string file, SisColumnMap? map, int maxListed) : IDisposable
    {
        private readonly Dictionary<string, int> _skipped = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _ignored = new(StringComparer.Ordinal);
        private readonly List<RejectionEntry> _rejections = [];
        private readonly List<DuplicateEntry> _duplicates = [];
        private int _rows, _accepted, _rejected, _duplicate, _ignoredCount, _skippedCount, _rejectedRowsListed;
        private MemoryStream? _csvStream;
        private CsvWriter? _csv;
        private IReadOnlyList<string> _header = [];

        public IngestCounts Counts => new(_rows, _accepted, _rejected, _duplicate, _ignoredCount, _skippedCount);

        public void SetHeader(IReadOnlyList<string> header) => _header = header;

        public void Add(SisRowResult row)
        {
            _rows++;
            switch (row)
            {
                case SisRowResult.Accepted:
                    _accepted++;
                    break;
                case SisRowResult.Skipped skipped:
                    _skippedCount++;
                    _skipped[skipped.Reason] = _skipped.GetValueOrDefault(skipped.Reason) + 1;
                    break;
                case SisRowResult.Ignored ignored:
                    _ignoredCount++;
                    _ignored[ignored.ActivityId] = _ignored.GetValueOrDefault(ignored.ActivityId) + 1;
                    break;
                case SisRowResult.Duplicate duplicate:
                    _duplicate++;
                    if (_duplicates.Count < maxListed)
                    {
                        _duplicates.Add(new DuplicateEntry(duplicate.Row, duplicate.EarlierRow, duplicate.EventId));
                    }
                    break;
                case SisRowResult.Rejected rejected:
                    _rejected++;
                    AddRejected(rejected);
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected row result {row.GetType().Name}.");
            }
        }

        private void AddRejected(SisRowResult.Rejected rejected)
        {
            foreach (var error in rejected.Errors)
            {
                if (_rejections.Count < maxListed)
                {
                    _rejections.Add(new RejectionEntry(rejected.Row, error.Column, error.Expected, error.Found, error.Describe(file, rejected.Row)));
                }
            }
            if (_rejectedRowsListed >= maxListed)
            {
                return;
            }
            _rejectedRowsListed++;
            if (_csv is null)
            {
                _csvStream = new MemoryStream();
                _csv = CsvWriter.Create(_csvStream, new CsvWriterOptions
                {
                    Separator = map!.Delimiter,
                    Injection = CsvInjection.Escape,
                    WriteByteOrderMark = true,
                    ValidateFieldCount = false,
                }, leaveOpen: true);
                _csv.WriteRecord([.. _header, "error"]);
            }
            var fields = new string[Math.Max(_header.Count, rejected.Fields.Count) + 1];
            for (var i = 0; i < fields.Length - 1; i++)
            {
                fields[i] = i < rejected.Fields.Count ? rejected.Fields[i] : "";
            }
            fields[^1] = $"row {rejected.Row}: " + string.Join("; ", rejected.Errors.Select(e => (e.Column is null ? "" : $"column \"{e.Column}\": ") + e.DescribeProblem()));
            _csv.WriteRecord(fields);
        }

        public byte[]? RejectedCsv()
        {
            if (_csv is null)
            {
                return null;
            }
            _csv.Dispose();
            return _csvStream!.ToArray();
        }

        public void Dispose()
        {
            _csv?.Dispose();
            _csvStream?.Dispose();
        }

        public IngestReportDocument Document(IngestReport summary) => new()
        {
            Summary = summary,
            SkippedByReason = _skipped,
            IgnoredByActivity = _ignored,
            Rejections = _rejections,
            RejectionsNotListed = _rejected == 0 ? 0 : Math.Max(0, _rejected - _rejectedRowsListed),
            Duplicates = _duplicates,
            DuplicatesNotListed = _duplicate - _duplicates.Count,
        };
    }
}
