using System.Globalization;
using System.Text.Json;
using Pipeline.Core.Credentials;
using Pipeline.Core.Json;
using Pipeline.Core.Pathways;

namespace Pipeline.Core.Catalog;

/// <summary>A problem in a SIS map file: where (file and JSON pointer) and what (expected vs found).</summary>
public sealed record SisMapError(string File, string JsonPointer, string Expected, string Found)
{
    public override string ToString() => $"{File} {(JsonPointer.Length == 0 ? "/" : JsonPointer)}: expected {Expected}, found {Found}";
}

/// <summary>The maps that loaded and every error of those that did not (all errors at once, none thrown).</summary>
public sealed record SisMapLoadResult(IReadOnlyList<SisColumnMap> Maps, IReadOnlyList<SisMapError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>Loads <c>catalog/sis-maps/*.json</c> (format: docs/sis-ingest.md).</summary>
public static class SisMapLoader
{
    public static SisMapLoadResult Load(string folder)
    {
        var maps = new List<SisColumnMap>();
        var errors = new List<SisMapError>();
        if (!Directory.Exists(folder))
        {
            errors.Add(new SisMapError(folder, "", "a folder of SIS map files (*.json)", "no such folder"));
            return new SisMapLoadResult(maps, errors);
        }
        foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var result = Parse(path, Path.GetFileNameWithoutExtension(path), File.ReadAllText(path));
            maps.AddRange(result.Maps);
            errors.AddRange(result.Errors);
        }
        return new SisMapLoadResult(maps, errors);
    }

    /// <summary>Parses one map; <paramref name="expectedName"/> is its file name without extension, which the map's name must equal.</summary>
    public static SisMapLoadResult Parse(string file, string expectedName, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            return new SisMapLoadResult([], [new SisMapError(file, "", "valid JSON", $"a syntax error at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}")]);
        }
        using (document)
        {
            var reader = new MapReader(file);
            var map = reader.ReadMap(document.RootElement, expectedName);
            return reader.Errors.Count == 0 && map is not null
                ? new SisMapLoadResult([map], [])
                : new SisMapLoadResult([], reader.Errors);
        }
    }

    private sealed class MapReader(string file)
    {
        private static readonly string[] MapProperties = ["$schema", "name", "description", "delimiter", "encoding", "columns", "emailDomain", "activity", "completedAt", "outcome", "skip"];
        private static readonly string[] ColumnProperties = ["learnerId", "email", "givenName", "familyName", "fullName", "grade", "score"];
        private static readonly string[] ActivityProperties = ["columns", "separator", "value"];
        private static readonly string[] CompletedAtProperties = ["column", "value", "formats", "timeZone"];
        private static readonly string[] OutcomeProperties = ["column", "values", "failingGrades", "passingScore", "default"];
        private static readonly string[] SkipProperties = ["column", "values", "reason"];

        public List<SisMapError> Errors { get; } = [];

        public SisColumnMap? ReadMap(JsonElement root, string expectedName)
        {
            if (!IsObject(root, ""))
            {
                return null;
            }
            CheckProperties(root, "", MapProperties);
            var name = RequiredString(root, "", "name", "the map's name");
            if (name is not null && !string.Equals(name, expectedName, StringComparison.Ordinal))
            {
                Error("/name", $"\"{expectedName}\" (the file name without .json)", Quote(name));
            }
            var delimiter = ReadDelimiter(root);
            var encoding = ReadEncoding(root);
            var emailDomain = OptionalString(root, "", "emailDomain");

            string? learnerId = null, email = null, given = null, family = null, full = null, grade = null, score = null;
            if (Property(root, "columns") is { } columns && IsObject(columns, "/columns"))
            {
                CheckProperties(columns, "/columns", ColumnProperties);
                learnerId = RequiredString(columns, "/columns", "learnerId", "the learner id column");
                email = RequiredString(columns, "/columns", "email", "the email column");
                given = OptionalString(columns, "/columns", "givenName");
                family = OptionalString(columns, "/columns", "familyName");
                full = OptionalString(columns, "/columns", "fullName");
                grade = OptionalString(columns, "/columns", "grade");
                score = OptionalString(columns, "/columns", "score");
                if (full is not null && (given is not null || family is not null))
                {
                    Error("/columns/fullName", "either fullName or givenName/familyName", "both");
                }
            }
            else if (Property(root, "columns") is null)
            {
                Error("/columns", "an object naming the columns (learnerId, email, ...)", "nothing");
            }

            var activity = ReadActivity(root);
            var completedAt = ReadCompletedAt(root);
            var outcome = ReadOutcome(root, grade, score);
            var skip = ReadSkip(root);

            if (Errors.Count > 0 || name is null || learnerId is null || email is null || activity is null || completedAt is null || outcome is null)
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
            var value = OptionalString(root, "", "delimiter");
            switch (value)
            {
                case null or ",":
                    return ',';
                case ";":
                    return ';';
                case "\t" or "tab":
                    return '\t';
                default:
                    Error("/delimiter", "\",\", \";\" or \"tab\"", Quote(value));
                    return ',';
            }
        }

        private SisFileEncoding ReadEncoding(JsonElement root)
        {
            var value = OptionalString(root, "", "encoding");
            switch (value?.ToLowerInvariant())
            {
                case null or "utf-8" or "utf8":
                    return SisFileEncoding.Utf8;
                case "latin1" or "iso-8859-1":
                    return SisFileEncoding.Latin1;
                default:
                    Error("/encoding", "\"utf-8\" or \"latin1\"", Quote(value!));
                    return SisFileEncoding.Utf8;
            }
        }

        private SisActivitySource? ReadActivity(JsonElement root)
        {
            if (Property(root, "activity") is not { } activity)
            {
                Error("/activity", "an object with \"columns\" or \"value\"", "nothing");
                return null;
            }
            if (!IsObject(activity, "/activity"))
            {
                return null;
            }
            CheckProperties(activity, "/activity", ActivityProperties);
            var columns = StringArray(activity, "/activity", "columns");
            var value = OptionalString(activity, "/activity", "value");
            var separator = OptionalString(activity, "/activity", "separator") ?? "";
            if ((columns.Count > 0) == (value is not null))
            {
                Error("/activity", "exactly one of \"columns\" (a non-empty list) or \"value\"", columns.Count > 0 ? "both" : "neither");
                return null;
            }
            return new SisActivitySource { Columns = columns, Separator = separator, Value = value };
        }

        private SisCompletedAtSource? ReadCompletedAt(JsonElement root)
        {
            if (Property(root, "completedAt") is not { } element)
            {
                Error("/completedAt", "an object with \"column\" or \"value\", \"formats\" and \"timeZone\"", "nothing");
                return null;
            }
            if (!IsObject(element, "/completedAt"))
            {
                return null;
            }
            CheckProperties(element, "/completedAt", CompletedAtProperties);
            var column = OptionalString(element, "/completedAt", "column");
            var value = OptionalString(element, "/completedAt", "value");
            if ((column is null) == (value is null))
            {
                Error("/completedAt", "exactly one of \"column\" or \"value\"", column is null ? "neither" : "both");
            }
            var formats = StringArray(element, "/completedAt", "formats");
            if (formats.Count == 0)
            {
                Error("/completedAt/formats", "a non-empty list of date formats like \"yyyy-MM-dd\"", "none");
            }
            for (var i = 0; i < formats.Count; i++)
            {
                if (!SisDates.IsValidFormat(formats[i]))
                {
                    Error($"/completedAt/formats/{i}", "a .NET custom date format like \"yyyy-MM-dd\" or \"dd-MMM-yyyy\"", Quote(formats[i]));
                }
            }
            var zoneId = OptionalString(element, "/completedAt", "timeZone") ?? "UTC";
            TimeZoneInfo? zone = null;
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                Error("/completedAt/timeZone", "an IANA time zone like \"America/New_York\"", Quote(zoneId));
            }
            if (value is not null && zone is not null && formats.Count > 0 && SisDates.TryParse(value, formats, zone) is null)
            {
                Error("/completedAt/value", $"a date in one of the formats, like {SisDates.Example(formats)}", Quote(value));
            }
            return zone is null ? null : new SisCompletedAtSource { Column = column, Value = value, Formats = formats, TimeZone = zone };
        }

        private SisOutcomeRule? ReadOutcome(JsonElement root, string? gradeColumn, string? scoreColumn)
        {
            if (Property(root, "outcome") is not { } element)
            {
                return new SisOutcomeRule();
            }
            if (!IsObject(element, "/outcome"))
            {
                return null;
            }
            CheckProperties(element, "/outcome", OutcomeProperties);
            var column = OptionalString(element, "/outcome", "column");
            var values = new Dictionary<string, CompletionOutcome>(StringComparer.OrdinalIgnoreCase);
            if (Property(element, "values") is { } valuesElement && IsObject(valuesElement, "/outcome/values"))
            {
                foreach (var entry in valuesElement.EnumerateObject())
                {
                    if (ReadOutcomeValue(entry.Value, $"/outcome/values/{Escape(entry.Name)}") is { } outcome)
                    {
                        values[entry.Name.Trim()] = outcome;
                    }
                }
            }
            if (column is not null && values.Count == 0)
            {
                Error("/outcome/values", "the cell values of the outcome column and their outcomes, like { \"P\": \"passed\" }", "none");
            }
            var failingGrades = StringArray(element, "/outcome", "failingGrades");
            if (failingGrades.Count > 0 && gradeColumn is null)
            {
                Error("/outcome/failingGrades", "a grade column (/columns/grade) to compare with", "none");
            }
            decimal? passingScore = null;
            if (Property(element, "passingScore") is { } scoreElement)
            {
                if (scoreElement.ValueKind == JsonValueKind.Number && scoreElement.TryGetDecimal(out var passing))
                {
                    passingScore = passing;
                }
                else
                {
                    Error("/outcome/passingScore", "a number", Describe(scoreElement));
                }
                if (scoreColumn is null)
                {
                    Error("/outcome/passingScore", "a score column (/columns/score) to compare with", "none");
                }
            }
            var defaultOutcome = Property(element, "default") is { } d ? ReadOutcomeValue(d, "/outcome/default") : CompletionOutcome.Completed;
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
            Error(pointer, "\"passed\", \"failed\" or \"completed\"", Describe(element));
            return null;
        }

        private List<SisSkipRule> ReadSkip(JsonElement root)
        {
            var rules = new List<SisSkipRule>();
            if (Property(root, "skip") is not { } element)
            {
                return rules;
            }
            if (element.ValueKind != JsonValueKind.Array)
            {
                Error("/skip", "a list of skip rules", Describe(element));
                return rules;
            }
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                var pointer = $"/skip/{index++}";
                if (!IsObject(item, pointer))
                {
                    continue;
                }
                CheckProperties(item, pointer, SkipProperties);
                var column = RequiredString(item, pointer, "column", "the column to test");
                var values = StringArray(item, pointer, "values");
                var reason = RequiredString(item, pointer, "reason", "why such rows are not completions");
                if (values.Count == 0)
                {
                    Error(pointer + "/values", "a non-empty list of cell values", "none");
                }
                if (column is not null && reason is not null && values.Count > 0)
                {
                    rules.Add(new SisSkipRule { Column = column, Values = values, Reason = reason });
                }
            }
            return rules;
        }

        private static JsonElement? Property(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        private bool IsObject(JsonElement element, string pointer)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                return true;
            }
            Error(pointer, "an object", Describe(element));
            return false;
        }

        private void CheckProperties(JsonElement obj, string pointer, string[] known)
        {
            foreach (var property in obj.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    Error($"{pointer}/{Escape(property.Name)}", $"one of the properties {string.Join(", ", known.Where(k => k != "$schema"))}", $"an unknown property \"{property.Name}\"");
                }
            }
        }

        private string? RequiredString(JsonElement obj, string pointer, string name, string what)
        {
            if (Property(obj, name) is null)
            {
                Error($"{pointer}/{name}", $"a string: {what}", "nothing");
                return null;
            }
            return OptionalString(obj, pointer, name);
        }

        private string? OptionalString(JsonElement obj, string pointer, string name)
        {
            if (Property(obj, name) is not { } value)
            {
                return null;
            }
            if (value.ValueKind != JsonValueKind.String)
            {
                Error($"{pointer}/{name}", "a string", Describe(value));
                return null;
            }
            var text = value.GetString()!;
            if (text.Trim().Length == 0 && name is not ("separator" or "delimiter"))
            {
                Error($"{pointer}/{name}", "a non-blank string", Quote(text));
                return null;
            }
            return name is "separator" or "delimiter" ? text : text.Trim();
        }

        private List<string> StringArray(JsonElement obj, string pointer, string name)
        {
            var list = new List<string>();
            if (Property(obj, name) is not { } value)
            {
                return list;
            }
            if (value.ValueKind != JsonValueKind.Array)
            {
                Error($"{pointer}/{name}", "a list of strings", Describe(value));
                return list;
            }
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString()!.Trim().Length > 0)
                {
                    list.Add(item.GetString()!.Trim());
                }
                else
                {
                    Error($"{pointer}/{name}/{index}", "a non-blank string", Describe(item));
                }
                index++;
            }
            return list;
        }

        private void Error(string pointer, string expected, string found) => Errors.Add(new SisMapError(file, pointer, expected, found));

        private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

        private static string Quote(string value) => JsonSerializer.Serialize(value, CanonicalJson.Options);

        private static string Describe(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => Quote(element.GetString()!),
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.Number => "the number " + element.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            _ => "null",
        };
    }
}
