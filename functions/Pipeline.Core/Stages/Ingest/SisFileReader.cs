using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Csv;
using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Stages.Ingest;

/// <summary>
/// Reads a SIS file from the blob store as a stream, one row at a time, choosing its map and turning each row into a
/// <see cref="SisRowResult"/>. Memory per file: the current row, and for duplicate detection one 16-byte event-id
/// hash and a row number per accepted row (about 50 bytes with dictionary overhead: 51 MB measured for a million rows).
/// </summary>
internal sealed class SisFileReader(IBlobStore blobs, IReadOnlyList<SisColumnMap> maps, Func<string, bool> isKnownActivity, Func<DateTimeOffset> latestCompletion)
{
    public async Task<SisFileSelection> SelectMapAsync(string container, string blobName, CancellationToken cancellationToken)
    {
        var file = $"{container}/{blobName}";
        var slash = blobName.IndexOf('/', StringComparison.Ordinal);
        var byFolder = slash > 0 ? maps.FirstOrDefault(m => string.Equals(m.Name, blobName[..slash], StringComparison.OrdinalIgnoreCase)) : null;
        var candidates = byFolder is null ? maps : [byFolder];

        var headersBySettings = new Dictionary<(char, SisFileEncoding), IReadOnlyList<string>>();
        var fits = new List<SisColumnMap>();
        foreach (var map in candidates)
        {
            if (!headersBySettings.TryGetValue((map.Delimiter, map.Encoding), out var headers))
            {
                var read = await ReadHeaderAsync(container, blobName, map, cancellationToken);
                if (read is null)
                {
                    return new SisFileSelection(null, $"{file} does not exist (already processed?)", NotFound: true);
                }
                headers = read;
                headersBySettings[(map.Delimiter, map.Encoding)] = headers;
            }
            if (headers.Count == 0)
            {
                return new SisFileSelection(null, $"{file} is empty: expected a header row", NotFound: false);
            }
            if (Missing(map, headers).Count == 0)
            {
                fits.Add(map);
            }
        }

        if (fits.Count == 1)
        {
            var twice = Twice(fits[0], headersBySettings[(fits[0].Delimiter, fits[0].Encoding)]);
            return twice.Count == 0
                ? new SisFileSelection(fits[0], null, NotFound: false)
                : new SisFileSelection(null,
                    $"{file}: the header names {string.Join("; ", twice)}; map \"{fits[0].Name}\" reads that column, so which cell holds the value is ambiguous: rename or remove the extra column",
                    NotFound: false);
        }
        var found = headersBySettings.Values.First();
        var foundText = string.Join(", ", found.Where(h => h.Trim().Length > 0).Select(h => $"\"{h.Trim()}\""));
        if (byFolder is not null)
        {
            return new SisFileSelection(null,
                $"{file}: the folder selects map \"{byFolder.Name}\", which expects the columns {List(byFolder.RequiredColumns)}; missing {List(Missing(byFolder, headersBySettings[(byFolder.Delimiter, byFolder.Encoding)]))}. Found the header {foundText}",
                NotFound: false);
        }
        if (fits.Count > 1)
        {
            return new SisFileSelection(null,
                $"{file}: the header fits several maps ({string.Join(", ", fits.Select(m => m.Name))}); put the file in the folder of its map, e.g. {fits[0].Name}/{blobName}",
                NotFound: false);
        }
        var expectations = maps.Select(m => $"map \"{m.Name}\" expects {List(m.RequiredColumns)} (missing {List(Missing(m, headersBySettings[(m.Delimiter, m.Encoding)]))})");
        return new SisFileSelection(null,
            $"{file}: no SIS map fits the header {foundText}; {string.Join("; ", expectations)}",
            NotFound: false);
    }

    /// <summary>The rows of the file read with <paramref name="map"/>; the header comes first as <paramref name="onHeader"/>.</summary>
    public async IAsyncEnumerable<SisRowResult> ReadRowsAsync(
        string container, string blobName, SisColumnMap map, Action<IReadOnlyList<string>> onHeader,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = $"{container}/{blobName}";
        var stream = await blobs.OpenReadAsync(container, blobName, cancellationToken);
        if (stream is null)
        {
            yield return new SisRowResult.FileRejected($"{file} does not exist (already processed?)");
            yield break;
        }
        var malformed = new Dictionary<long, CsvMalformedReason>();
        var guard = new RecordSizeGuardStream(stream, MaxRecordBytes, map.Delimiter);
        await using var csv = CsvReader.Create(guard, Options(map, record => malformed[record.RecordNumber] = record.Reason), leaveOpen: false);
        await csv.ReadHeaderAsync(cancellationToken);
        var headers = csv.Headers.ToArray();
        onHeader(headers);
        var row = new SisRowReader(map, headers, file, isKnownActivity, latestCompletion());
        var seen = new Dictionary<EventKey, int>();
        var oversizedReported = 0;
        while (await csv.ReadAsync(cancellationToken))
        {
            for (; oversizedReported < guard.Oversized.Count && guard.Oversized[oversizedReported].Line < csv.LineNumber; oversizedReported++)
            {
                yield return Oversized(guard.Oversized[oversizedReported]);
            }
            var fields = new string[csv.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = csv.GetString(i);
            }
            var recordNumber = csv.RowNumber + 1;
            var quoting = malformed.Remove(recordNumber, out var reason) ? reason : (CsvMalformedReason?)null;
            var result = row.Read(checked((int)csv.LineNumber), fields, quoting);
            if (result is null)
            {
                continue;
            }
            if (result is SisRowResult.Accepted accepted)
            {
                var key = EventKey.Of(accepted.EventId);
                if (!seen.TryAdd(key, accepted.Row))
                {
                    result = new SisRowResult.Duplicate(accepted.Row, seen[key], accepted.EventId);
                }
            }
            yield return result;
        }
        for (; oversizedReported < guard.Oversized.Count; oversizedReported++)
        {
            yield return Oversized(guard.Oversized[oversizedReported]);
        }
    }

    /// <summary>The largest record read: no SIS row comes near it; a larger one is rejected alone (<see cref="RecordSizeGuardStream"/>).</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    private static SisRowResult.Rejected Oversized(OversizedRecord record) => new(record.Line,
        [new SisFieldError(null, $"a row of at most {MaxRecordBytes} bytes (1 MiB); this one was not read (a huge cell, or a quote never closed?)",
            $"{record.Bytes} bytes starting {record.Start}")],
        []);

    private async Task<IReadOnlyList<string>?> ReadHeaderAsync(string container, string blobName, SisColumnMap map, CancellationToken cancellationToken)
    {
        var stream = await blobs.OpenReadAsync(container, blobName, cancellationToken);
        if (stream is null)
        {
            return null;
        }
        await using var csv = CsvReader.Create(new RecordSizeGuardStream(stream, MaxRecordBytes, map.Delimiter), Options(map, onMalformed: null), leaveOpen: false);
        await csv.ReadHeaderAsync(cancellationToken);
        return csv.Headers.ToArray();
    }

    private static CsvReaderOptions Options(SisColumnMap map, Action<CsvMalformedRecord>? onMalformed) =>
        CsvInput.Options(2 * MaxRecordBytes, onMalformed, map.Delimiter, map.Encoding == SisFileEncoding.Latin1 ? Encoding.Latin1 : null);

    private static List<string> Missing(SisColumnMap map, IReadOnlyList<string> headers)
    {
        var present = new HashSet<string>(headers.Select(h => h.Trim()), StringComparer.OrdinalIgnoreCase);
        return map.RequiredColumns.Where(c => !present.Contains(c)).ToList();
    }

    /// <summary>The columns the map reads that the header names more than once, as <c>"email" twice (columns 2 and 5)</c>.</summary>
    private static List<string> Twice(SisColumnMap map, IReadOnlyList<string> headers) =>
        [.. map.RequiredColumns
            .Select(c => (Column: c, Positions: headers.Select((h, i) => (h, i)).Where(x => string.Equals(x.h.Trim(), c, StringComparison.OrdinalIgnoreCase)).Select(x => x.i + 1).ToList()))
            .Where(x => x.Positions.Count > 1)
            .Select(x => $"\"{x.Column}\" {x.Positions.Count} times (columns {string.Join(" and ", x.Positions)})")];

    private static string List(IEnumerable<string> columns) => string.Join(", ", columns.Select(c => $"\"{c}\""));
}

/// <summary>
/// A completion event id's 128 bits as two <see cref="ulong"/>s: 32 bytes a dictionary entry, where
/// <see cref="UInt128"/>'s 16-byte alignment makes it 48 (a million-row file: 38 MB rather than 58 MB).
/// </summary>
internal readonly record struct EventKey(ulong High, ulong Low)
{
    public static EventKey Of(string eventId)
    {
        var hex = eventId.AsSpan(CompletionEventId.Version.Length + 1);
        return new EventKey(
            ulong.Parse(hex[..16], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
            ulong.Parse(hex[16..32], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
    }
}

/// <summary>The map chosen for a file, or why none could be.</summary>
internal sealed record SisFileSelection(SisColumnMap? Map, string? Problem, bool NotFound);

/// <summary>Turns the fields of one record into a result, by one map and one header.</summary>
internal sealed class SisRowReader
{
    private readonly SisColumnMap _map;
    private readonly string _file;
    private readonly Func<string, bool> _isKnownActivity;
    private readonly DateTimeOffset _latestCompletion;
    private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);
    private readonly IReadOnlyList<string> _headers;
    private readonly string _source;

    public SisRowReader(SisColumnMap map, IReadOnlyList<string> headers, string file, Func<string, bool> isKnownActivity, DateTimeOffset latestCompletion)
    {
        _map = map;
        _latestCompletion = latestCompletion;
        _file = file;
        _isKnownActivity = isKnownActivity;
        _headers = headers;
        _source = "sis:" + map.Name;
        for (var i = 0; i < headers.Count; i++)
        {
            _index.TryAdd(headers[i].Trim(), i);
        }
    }

    /// <summary>The row's result, or null for a row of empty cells (Excel writes them below the data).</summary>
    public SisRowResult? Read(int row, string[] fields, CsvMalformedReason? quoting)
    {
        if (fields.All(f => f.Trim().Length == 0))
        {
            return null;
        }
        string Cell(string column) => _index.TryGetValue(column, out var i) && i < fields.Length ? fields[i].Trim() : "";

        foreach (var rule in _map.Skip)
        {
            var value = Cell(rule.Column);
            if (rule.Values.Any(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase)))
            {
                return new SisRowResult.Skipped(row, rule.Reason);
            }
        }

        var errors = new List<SisFieldError>();
        if (quoting is { } reason)
        {
            errors.Add(new SisFieldError(null, "quotes only around whole cells, with quotes inside a cell doubled (\"\")", $"{Describe(reason)} in {string.Join(_map.Delimiter, fields)}"));
        }
        if (_map.Encoding == SisFileEncoding.Utf8)
        {
            for (var i = 0; i < fields.Length; i++)
            {
                if (fields[i].Contains(Undecodable, StringComparison.Ordinal))
                {
                    errors.Add(new SisFieldError(i < _headers.Count ? _headers[i].Trim() : $"#{i + 1}",
                        $"UTF-8 text (a byte that is not UTF-8 is shown as {Undecodable}: save the file as UTF-8, or give its map \"encoding\": \"latin1\")",
                        fields[i]));
                }
            }
        }

        var activityId = _map.Activity.Value ?? ReadActivity(Cell, errors);
        if (activityId is not null && !_isKnownActivity(activityId))
        {
            return new SisRowResult.Ignored(row, activityId);
        }

        var learnerCell = Cell(_map.LearnerIdColumn);
        if (learnerCell.Length == 0)
        {
            errors.Add(new SisFieldError(_map.LearnerIdColumn, "the learner's SIS id", ""));
        }
        var learnerId = Text(_map.LearnerIdColumn, learnerCell, TextFields.MaxIdLength, errors) ?? "";
        var email = ReadEmail(Cell(_map.EmailColumn), errors);
        var (given, family) = ReadNames(Cell, errors);
        var completedAt = ReadCompletedAt(Cell, errors);
        var grade = _map.GradeColumn is null ? null : NullIfEmpty(Text(_map.GradeColumn, Cell(_map.GradeColumn), TextFields.MaxGradeLength, errors) ?? "");
        var score = ReadScore(Cell, errors);
        var outcome = ReadOutcome(Cell, grade, score, errors);

        if (errors.Count > 0 || activityId is null || completedAt is null || outcome is null || email is null)
        {
            return new SisRowResult.Rejected(row, errors, fields);
        }
        var completion = new CompletionEvent
        {
            Source = _source,
            LearnerId = learnerId,
            ActivityId = activityId,
            CompletedAt = completedAt.Value,
            Outcome = outcome.Value,
            Grade = grade,
            Score = score,
        };
        return new SisRowResult.Accepted(row, new RecordCompletion
        {
            CorrelationId = $"sis:{_file}#{row}",
            Completion = completion,
            Learner = new LearnerProfile { LearnerId = learnerId, Email = email, GivenName = given, FamilyName = family },
        })
        {
            EventId = completion.Id,
        };
    }

    private string? ReadActivity(Func<string, string> cell, List<SisFieldError> errors)
    {
        var parts = new List<string>(_map.Activity.Columns.Count);
        foreach (var column in _map.Activity.Columns)
        {
            var value = cell(column);
            if (value.Length == 0)
            {
                errors.Add(new SisFieldError(column, _map.Activity.Columns.Count == 1 ? "an activity id" : "a part of the activity id", ""));
                return null;
            }
            if (Text(column, value, TextFields.MaxIdLength, errors) is not { } part)
            {
                return null;
            }
            parts.Add(part);
        }
        return string.Join(_map.Activity.Separator, parts);
    }

    private string? ReadEmail(string value, List<SisFieldError> errors)
    {
        var email = _map.EmailDomain is { } domain && value.Length > 0 && !value.Contains('@', StringComparison.Ordinal)
            ? $"{value}@{domain}"
            : value;
        if (EmailAddresses.IsPlausible(email))
        {
            return email;
        }
        errors.Add(new SisFieldError(_map.EmailColumn,
            _map.EmailDomain is null ? "an email address like ada@example.edu" : $"an email address or a login name (for @{_map.EmailDomain})",
            value));
        return null;
    }

    private (string? Given, string? Family) ReadNames(Func<string, string> cell, List<SisFieldError> errors)
    {
        if (_map.FullNameColumn is { } column)
        {
            var full = Text(column, cell(column), TextFields.MaxNameLength, errors) ?? "";
            if (full.Length == 0)
            {
                return (null, null);
            }
            var comma = full.IndexOf(',', StringComparison.Ordinal);
            if (comma <= 0 || comma == full.Length - 1)
            {
                errors.Add(new SisFieldError(column, "a name like \"Lovelace, Ada\" (family name, comma, given name)", full));
                return (null, null);
            }
            return (NullIfEmpty(full[(comma + 1)..].Trim()), NullIfEmpty(full[..comma].Trim()));
        }
        return (
            _map.GivenNameColumn is null ? null : NullIfEmpty(Text(_map.GivenNameColumn, cell(_map.GivenNameColumn), TextFields.MaxNameLength, errors) ?? ""),
            _map.FamilyNameColumn is null ? null : NullIfEmpty(Text(_map.FamilyNameColumn, cell(_map.FamilyNameColumn), TextFields.MaxNameLength, errors) ?? ""));
    }

    /// <summary>
    /// A free-text cell normalised to NFC, or null (with the error) when it holds a control character, a bidirectional
    /// override or more than <paramref name="maxLength"/> characters (<see cref="TextFields"/>).
    /// </summary>
    private static string? Text(string column, string value, int maxLength, List<SisFieldError> errors)
    {
        if (TextFields.Normalise(value, maxLength, out var problem) is { } normalised)
        {
            return normalised;
        }
        errors.Add(new SisFieldError(column, problem!, TextFields.Visible(value)));
        return null;
    }

    private DateTimeOffset? ReadCompletedAt(Func<string, string> cell, List<SisFieldError> errors)
    {
        var source = _map.CompletedAt;
        var value = source.Value ?? cell(source.Column!);
        var parsed = value.Length == 0 ? null : SisDates.TryParse(value, source.Formats, source.TimeZone);
        if (parsed is null)
        {
            errors.Add(new SisFieldError(source.Column, $"a date like {SisDates.Example(source.Formats)}", value));
            return null;
        }
        var latest = _latestCompletion;
        if (parsed > latest)
        {
            errors.Add(new SisFieldError(source.Column,
                $"a completion date that is not in the future (on or before {latest.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})", value));
            return null;
        }
        return parsed;
    }

    private decimal? ReadScore(Func<string, string> cell, List<SisFieldError> errors)
    {
        if (_map.ScoreColumn is null)
        {
            return null;
        }
        var value = cell(_map.ScoreColumn);
        if (value.Length == 0)
        {
            return null;
        }
        if (decimal.TryParse(value, NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var score))
        {
            return score;
        }
        errors.Add(new SisFieldError(_map.ScoreColumn, "a number like 87.5", value));
        return null;
    }

    private CompletionOutcome? ReadOutcome(Func<string, string> cell, string? grade, decimal? score, List<SisFieldError> errors)
    {
        var rule = _map.Outcome;
        if (rule.Column is { } column)
        {
            var value = cell(column);
            if (rule.Values.TryGetValue(value, out var outcome))
            {
                return outcome;
            }
            errors.Add(new SisFieldError(column, "one of " + string.Join(", ", rule.Values.Keys.Select(k => $"\"{k}\"")), value));
            return null;
        }
        if (rule.FailingGrades.Count > 0)
        {
            if (grade is null)
            {
                errors.Add(new SisFieldError(_map.GradeColumn, "a grade (the outcome is derived from it)", ""));
                return null;
            }
            return rule.FailingGrades.Contains(grade, StringComparer.OrdinalIgnoreCase) ? CompletionOutcome.Failed : CompletionOutcome.Passed;
        }
        if (rule.PassingScore is { } passing)
        {
            if (score is null)
            {
                if (!errors.Any(e => e.Column == _map.ScoreColumn))
                {
                    errors.Add(new SisFieldError(_map.ScoreColumn, "a score (the outcome is derived from it)", ""));
                }
                return null;
            }
            return score >= passing ? CompletionOutcome.Passed : CompletionOutcome.Failed;
        }
        return rule.Default;
    }

    /// <summary>What the UTF-8 decoder reads a byte that is not UTF-8 as (U+FFFD): such a row is rejected, not guessed at.</summary>
    private const string Undecodable = "\uFFFD";

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a stray quote",
        CsvMalformedReason.TextAfterClosingQuote => "text after a closing quote",
        CsvMalformedReason.UnterminatedQuote => "a quote that is never closed",
        _ => reason.ToString(),
    };
}
