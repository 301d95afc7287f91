using System.Globalization;
using System.Text.Json;
using Pipeline.Core.Catalog.Loading;

namespace Pipeline.Core.Catalog;

/// <summary>The maps that loaded and every error of those that did not (all errors at once, none thrown).</summary>
public sealed record SisMapLoadResult(IReadOnlyList<SisColumnMap> Maps, IReadOnlyList<CatalogError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Loads <c>catalog/sis-maps/*.json</c> (format: docs/sis-ingest.md) with the catalog's own JSON reading: every problem is a
/// <see cref="CatalogError"/> naming the file, the JSON pointer, what was expected and what was found.
/// </summary>
public static class SisMapLoader
{
    /// <summary>Loads every map of a <c>sis-maps</c> folder on its own; files are named relative to the folder's parent, e.g. <c>sis-maps/banner.json</c>.</summary>
    public static SisMapLoadResult Load(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        var errors = new List<CatalogError>();
        var maps = new CatalogFolder(Path.GetDirectoryName(full) ?? full, errors).ReadAll(Path.GetFileName(full), Read, m => m.Name, "SIS map");
        return new SisMapLoadResult(errors.Count == 0 ? maps.Values.Select(m => m.Value).ToList() : [], errors);
    }

    /// <summary>Parses one map's text; <paramref name="file"/> names it in errors, and its name without <c>.json</c> is the name the map must have.</summary>
    public static SisMapLoadResult Parse(string file, string json)
    {
        var errors = new List<CatalogError>();
        var reader = new CatalogFileReader(file, errors);
        using var document = reader.ParseText(json);
        var map = document is null ? null : Read(reader, document.RootElement);
        return map is not null && errors.Count == 0 ? new SisMapLoadResult([map], []) : new SisMapLoadResult([], errors);
    }

    /// <summary>Reads one map from its file; the catalog loader calls this for each file of <c>sis-maps/</c>.</summary>
    internal static SisColumnMap? Read(CatalogFileReader reader, JsonElement root)
    {
        var before = reader.ErrorCount;
        var map = new MapReader(reader).ReadMap(root, Path.GetFileNameWithoutExtension(reader.File));
        return reader.ErrorCount == before ? map : null;
    }

    private sealed class MapReader(CatalogFileReader r)
    {
        private static readonly string[] MapProperties = ["$schema", "name", "description", "delimiter", "encoding", "columns", "emailDomain", "activity", "completedAt", "outcome", "skip"];
        private static readonly string[] ColumnProperties = ["learnerId", "email", "givenName", "familyName", "fullName", "grade", "score"];
        private static readonly string[] ActivityProperties = ["columns", "separator", "value"];
        private static readonly string[] CompletedAtProperties = ["column", "value", "formats", "timeZone"];
        private static readonly string[] OutcomeProperties = ["column", "values", "failingGrades", "passingScore", "default"];
        private static readonly string[] SkipProperties = ["column", "values", "reason"];

        public SisColumnMap? ReadMap(JsonElement root, string expectedName)
        {
            if (!r.ExpectObject(root, "", MapProperties))
            {
                return null;
            }
            var name = RequiredString(root, "", "name", "the map's name");
            if (name is not null && !string.Equals(name, expectedName, StringComparison.Ordinal))
            {
                Error("/name", "map name differs from its file name", $"\"{expectedName}\" (the file name without .json)", Quote(name));
            }
            var delimiter = ReadDelimiter(root);
            var encoding = ReadEncoding(root);
            var emailDomain = r.OptionalString(root, "", "emailDomain");

            string? learnerId = null, email = null, given = null, family = null, full = null, grade = null, score = null;
            if (r.Required(root, "", "columns", "an object naming the columns (learnerId, email, ...)") is { } columns
                && r.ExpectObject(columns, "/columns", ColumnProperties))
            {
                learnerId = RequiredString(columns, "/columns", "learnerId", "the learner id column");
                email = RequiredString(columns, "/columns", "email", "the email column");
                given = r.OptionalString(columns, "/columns", "givenName");
                family = r.OptionalString(columns, "/columns", "familyName");
                full = r.OptionalString(columns, "/columns", "fullName");
                grade = r.OptionalString(columns, "/columns", "grade");
                score = r.OptionalString(columns, "/columns", "score");
                if (full is not null && (given is not null || family is not null))
                {
                    Error("/columns/fullName", "two ways to name the learner", "either fullName or givenName/familyName", "both");
                }
            }

            var activity = ReadActivity(root);
            var completedAt = ReadCompletedAt(root);
            var outcome = ReadOutcome(root, grade, score);
            var skip = ReadSkip(root);

            if (name is null || learnerId is null || email is null || activity is null || completedAt is null || outcome is null)
            {
                return null;
            }
            return new SisColumnMap
            {
                Name = name,
                Delimiter = delimiter,
                Encoding = encoding,
                LearnerIdColumn = learnerId,
                EmailColumn = email,
                EmailDomain = emailDomain,
                GivenNameColumn = given,
                FamilyNameColumn = family,
                FullNameColumn = full,
                GradeColumn = grade,
                ScoreColumn = score,
                Activity = activity,
                CompletedAt = completedAt,
                Outcome = outcome,
                Skip = skip,
            };
        }

        private char ReadDelimiter(JsonElement root)
        {
            var value = RawString(root, "", "delimiter");
            switch (value)
            {
                case null or ",":
                    return ',';
                case ";":
                    return ';';
                case "\t" or "tab":
                    return '\t';
                default:
                    Error("/delimiter", "unknown delimiter", "\",\", \";\" or \"tab\"", Quote(value));
                    return ',';
            }
        }

        private SisFileEncoding ReadEncoding(JsonElement root)
        {
            var value = r.OptionalString(root, "", "encoding");
            switch (value?.ToLowerInvariant())
            {
                case null or "utf-8" or "utf8":
                    return SisFileEncoding.Utf8;
                case "latin1" or "iso-8859-1":
                    return SisFileEncoding.Latin1;
                default:
                    Error("/encoding", "unknown encoding", "\"utf-8\" or \"latin1\"", Quote(value!));
                    return SisFileEncoding.Utf8;
            }
        }

        private SisActivitySource? ReadActivity(JsonElement root)
        {
            if (r.Required(root, "", "activity", "an object with \"columns\" or \"value\"") is not { } activity
                || !r.ExpectObject(activity, "/activity", ActivityProperties))
            {
                return null;
            }
            var columns = StringArray(activity, "/activity", "columns");
            var value = r.OptionalString(activity, "/activity", "value");
            var separator = RawString(activity, "/activity", "separator") ?? "";
            if ((columns.Count > 0) == (value is not null))
            {
                Error("/activity", "where the activity comes from is unclear", "exactly one of \"columns\" (a non-empty list) or \"value\"", columns.Count > 0 ? "both" : "neither");
                return null;
            }
            return new SisActivitySource { Columns = columns, Separator = separator, Value = value };
        }

        private SisCompletedAtSource? ReadCompletedAt(JsonElement root)
        {
            if (r.Required(root, "", "completedAt", "an object with \"column\" or \"value\", \"formats\" and \"timeZone\"") is not { } element
                || !r.ExpectObject(element, "/completedAt", CompletedAtProperties))
            {
                return null;
            }
            var column = r.OptionalString(element, "/completedAt", "column");
            var value = r.OptionalString(element, "/completedAt", "value");
            if ((column is null) == (value is null))
            {
                Error("/completedAt", "where the completion date comes from is unclear", "exactly one of \"column\" or \"value\"", column is null ? "neither" : "both");
            }
            var formats = StringArray(element, "/completedAt", "formats");
            if (formats.Count == 0)
            {
                Error("/completedAt/formats", "no date formats", "a non-empty list of date formats like \"yyyy-MM-dd\"", "none");
            }
            for (var i = 0; i < formats.Count; i++)
            {
                if (!SisDates.IsValidFormat(formats[i]))
                {
                    Error(CatalogFileReader.Pointer("/completedAt/formats", i), "not a date format", "a .NET custom date format like \"yyyy-MM-dd\" or \"dd-MMM-yyyy\"", Quote(formats[i]));
                }
            }
            var zoneId = r.OptionalString(element, "/completedAt", "timeZone") ?? "UTC";
            TimeZoneInfo? zone = null;
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                Error("/completedAt/timeZone", "unknown time zone", "an IANA time zone like \"America/New_York\"", Quote(zoneId));
            }
            if (value is not null && zone is not null && formats.Count > 0 && SisDates.TryParse(value, formats, zone) is null)
            {
                Error("/completedAt/value", "not a date in the formats", $"a date in one of the formats, like {SisDates.Example(formats)}", Quote(value));
            }
            return zone is null ? null : new SisCompletedAtSource { Column = column, Value = value, Formats = formats, TimeZone = zone };
        }

        private SisOutcomeRule? ReadOutcome(JsonElement root, string? gradeColumn, string? scoreColumn)
        {
            if (CatalogFileReader.Optional(root, "outcome") is not { } element)
            {
                return new SisOutcomeRule();
            }
            if (!r.ExpectObject(element, "/outcome", OutcomeProperties))
            {
                return null;
            }
            var column = r.OptionalString(element, "/outcome", "column");
            var values = new Dictionary<string, CompletionOutcome>(StringComparer.OrdinalIgnoreCase);
            if (CatalogFileReader.Optional(element, "values") is { } valuesElement && r.IsObject(valuesElement, "/outcome/values"))
            {
                foreach (var entry in valuesElement.EnumerateObject())
                {
                    if (ReadOutcomeValue(entry.Value, CatalogFileReader.Pointer("/outcome/values", entry.Name)) is { } outcome)
                    {
                        values[entry.Name.Trim()] = outcome;
                    }
                }
            }
            if (column is not null && values.Count == 0)
            {
                Error("/outcome/values", "outcome column without values", "the cell values of the outcome column and their outcomes, like { \"P\": \"passed\" }", "none");
            }
            var failingGrades = StringArray(element, "/outcome", "failingGrades");
            if (failingGrades.Count > 0 && gradeColumn is null)
            {
                Error("/outcome/failingGrades", "failing grades without a grade column", "a grade column (/columns/grade) to compare with", "none");
            }
            decimal? passingScore = null;
            if (CatalogFileReader.Optional(element, "passingScore") is { } scoreElement)
            {
                if (scoreElement.ValueKind == JsonValueKind.Number && scoreElement.TryGetDecimal(out var passing))
                {
                    passingScore = passing;
                }
                else
                {
                    r.Report(CatalogErrorCode.WrongType, "/outcome/passingScore", "wrong type", "a number", CatalogFileReader.Describe(scoreElement));
                }
                if (scoreColumn is null)
                {
                    Error("/outcome/passingScore", "passing score without a score column", "a score column (/columns/score) to compare with", "none");
                }
            }
            var defaultOutcome = CatalogFileReader.Optional(element, "default") is { } d ? ReadOutcomeValue(d, "/outcome/default") : CompletionOutcome.Completed;
            return new SisOutcomeRule
            {
                Column = column,
                Values = values,
                FailingGrades = failingGrades,
                PassingScore = passingScore,
                Default = defaultOutcome ?? CompletionOutcome.Completed,
            };
        }

        private CompletionOutcome? ReadOutcomeValue(JsonElement element, string pointer)
        {
            if (element.ValueKind == JsonValueKind.String
                && Enum.TryParse<CompletionOutcome>(element.GetString(), ignoreCase: true, out var outcome)
                && Enum.IsDefined(outcome)
                && !int.TryParse(element.GetString(), CultureInfo.InvariantCulture, out _))
            {
                return outcome;
            }
            Error(pointer, "unknown outcome", "\"passed\", \"failed\" or \"completed\"", CatalogFileReader.Describe(element));
            return null;
        }

        private List<SisSkipRule> ReadSkip(JsonElement root)
        {
            var rules = new List<SisSkipRule>();
            if (CatalogFileReader.Optional(root, "skip") is not { } element)
            {
                return rules;
            }
            if (element.ValueKind != JsonValueKind.Array)
            {
                r.Report(CatalogErrorCode.WrongType, "/skip", "wrong type", "a list of skip rules", CatalogFileReader.Describe(element));
                return rules;
            }
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                var pointer = CatalogFileReader.Pointer("/skip", index++);
                if (!r.ExpectObject(item, pointer, SkipProperties))
                {
                    continue;
                }
                var column = RequiredString(item, pointer, "column", "the column to test");
                var values = StringArray(item, pointer, "values");
                var reason = RequiredString(item, pointer, "reason", "why such rows are not completions");
                if (values.Count == 0)
                {
                    Error(CatalogFileReader.Pointer(pointer, "values"), "no values to skip", "a non-empty list of cell values", "none");
                }
                if (column is not null && reason is not null && values.Count > 0)
                {
                    rules.Add(new SisSkipRule { Column = column, Values = values, Reason = reason });
                }
            }
            return rules;
        }

        private string? RequiredString(JsonElement obj, string pointer, string name, string what) =>
            r.Required(obj, pointer, name, "a string: " + what) is { } value ? r.AsString(value, CatalogFileReader.Pointer(pointer, name)) : null;

        /// <summary>A string kept as written, spaces included (a delimiter or separator may be a space or a tab).</summary>
        private string? RawString(JsonElement obj, string pointer, string name)
        {
            if (CatalogFileReader.Optional(obj, name) is not { } value)
            {
                return null;
            }
            if (value.ValueKind == JsonValueKind.String)
            {
                return value.GetString()!;
            }
            r.Report(CatalogErrorCode.WrongType, CatalogFileReader.Pointer(pointer, name), "wrong type", "a string", CatalogFileReader.Describe(value));
            return null;
        }

        private List<string> StringArray(JsonElement obj, string pointer, string name) =>
            r.OptionalArray(obj, pointer, name, (element, at) => r.AsString(element, at));

        private void Error(string pointer, string message, string expected, string found) =>
            r.Report(CatalogErrorCode.InvalidValue, pointer, message, expected, found);

        private static string Quote(string value) => $"\"{value}\"";
    }
}
