using System.Text.Json;

namespace Pipeline.Core.Catalog.Loading;

/// <summary>Reads the optional <c>grade-scales.json</c> and <c>activities.json</c> (format: docs/catalog.md).</summary>
internal static class GradeScaleReader
{
    public static (Dictionary<string, GradeScale> Scales, string? Default) ReadGradeScales(string root, List<CatalogError> errors)
    {
        var scales = new Dictionary<string, GradeScale>(StringComparer.Ordinal);
        var path = Path.Combine(root, CatalogLoader.GradeScalesFile);
        if (!File.Exists(path))
        {
            return (scales, null);
        }
        var reader = new CatalogFileReader(CatalogLoader.GradeScalesFile, errors);
        using var document = reader.Parse(path);
        if (document is null || !reader.ExpectObject(document.RootElement, string.Empty, "default", "scales"))
        {
            return (scales, null);
        }
        var top = document.RootElement;
        if (reader.Required(top, string.Empty, "scales", "an object of named grade lists") is { } all)
        {
            if (reader.IsObject(all, "/scales"))
            {
                foreach (var property in all.EnumerateObject())
                {
                    var at = CatalogFileReader.Pointer("/scales", property.Name);
                    if (reader.AsSlug(property.Name, at) is { } name && ReadGrades(reader, property.Value, at) is { } grades)
                    {
                        scales[name] = new GradeScale(name, grades);
                    }
                }
            }
        }
        var defaultName = reader.OptionalString(top, string.Empty, "default");
        if (defaultName is not null && !scales.ContainsKey(defaultName))
        {
            reader.Report(CatalogErrorCode.UnknownGradeScale, "/default", "unknown grade scale",
                "one of " + string.Join(", ", scales.Keys), $"\"{defaultName}\"");
            defaultName = null;
        }
        return (scales, defaultName);
    }

    private static List<string>? ReadGrades(CatalogFileReader reader, JsonElement value, string pointer)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            reader.Report(CatalogErrorCode.WrongType, pointer, "wrong type", "an array of grades, best first", CatalogFileReader.Describe(value));
            return null;
        }
        var grades = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = CatalogFileReader.Pointer(pointer, index++);
            if (reader.AsString(item, at) is not { } grade)
            {
                continue;
            }
            if (grades.Contains(grade, StringComparer.OrdinalIgnoreCase))
            {
                reader.Report(CatalogErrorCode.DuplicateId, at, "grade listed twice on the scale", "each grade once", $"\"{grade}\"");
                continue;
            }
            grades.Add(grade);
        }
        if (grades.Count == 0)
        {
            reader.Report(CatalogErrorCode.InvalidValue, pointer, "empty grade scale", "at least one grade", "an empty array");
            return null;
        }
        return grades;
    }

    public static Dictionary<string, CatalogActivity> ReadActivities(string root, List<CatalogError> errors, Dictionary<string, GradeScale> scales)
    {
        var activities = new Dictionary<string, CatalogActivity>(StringComparer.Ordinal);
        var path = Path.Combine(root, CatalogLoader.ActivitiesFile);
        if (!File.Exists(path))
        {
            return activities;
        }
        var reader = new CatalogFileReader(CatalogLoader.ActivitiesFile, errors);
        using var document = reader.Parse(path);
        if (document is null || !reader.IsObject(document.RootElement, string.Empty))
        {
            return activities;
        }
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var at = CatalogFileReader.Pointer(string.Empty, property.Name);
            if (property.Name.Trim().Length == 0 || property.Name.Any(char.IsWhiteSpace))
            {
                reader.Report(CatalogErrorCode.InvalidValue, at, "activity id with spaces", "an id without spaces, like \"CS101\"", $"\"{property.Name}\"");
                continue;
            }
            if (!reader.ExpectObject(property.Value, at, "name", "gradeScale"))
            {
                continue;
            }
            var name = reader.OptionalString(property.Value, at, "name");
            var scale = reader.OptionalString(property.Value, at, "gradeScale");
            if (scale is not null && !scales.ContainsKey(scale))
            {
                reader.Report(CatalogErrorCode.UnknownGradeScale, CatalogFileReader.Pointer(at, "gradeScale"), "unknown grade scale",
                    $"a scale defined in {CatalogLoader.GradeScalesFile}: " + string.Join(", ", scales.Keys), $"\"{scale}\"");
                scale = null;
            }
            activities[property.Name] = new CatalogActivity(property.Name, name, scale);
        }
        return activities;
    }
}
