using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Core.Catalog.Loading;

/// <summary>
/// Reads one catalog JSON file and records every problem as a <see cref="CatalogError"/> with the file and
/// JSON pointer; the typed readers return <c>null</c> after reporting, so loading goes on and finds the rest.
/// </summary>
internal sealed partial class CatalogFileReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    private readonly List<CatalogError> _errors;

    public CatalogFileReader(string file, List<CatalogError> errors)
    {
        File = file;
        _errors = errors;
    }

    /// <summary>Catalog-relative path, '/' separated.</summary>
    public string File { get; }

    /// <summary>How many errors the whole load has reported so far (the list is shared by every file).</summary>
    public int ErrorCount => _errors.Count;

    public void Report(CatalogErrorCode code, string pointer, string message, string? expected = null, string? found = null) =>
        _errors.Add(new CatalogError(code, File, pointer, message, expected, found));

    /// <summary>Parses the file; reports invalid JSON with line and position.</summary>
    public JsonDocument? Parse(string fullPath)
    {
        using var stream = System.IO.File.OpenRead(fullPath);
        return Parse(() => JsonDocument.Parse(stream, DocumentOptions));
    }

    /// <summary>Parses the file's text, already read; reports invalid JSON as <see cref="Parse(string)"/> does.</summary>
    public JsonDocument? ParseText(string json) => Parse(() => JsonDocument.Parse(json, DocumentOptions));

    private JsonDocument? Parse(Func<JsonDocument> parse)
    {
        try
        {
            return parse();
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var position = (ex.BytePositionInLine ?? 0) + 1;
            Report(CatalogErrorCode.InvalidJson, string.Empty,
                $"invalid JSON at line {line}, position {position}", "well-formed JSON", Trim(ex.Message));
            return null;
        }
    }

    public static string Pointer(string parent, string property) =>
        parent + "/" + property.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Pointer(string parent, int index) => parent + "/" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Checks the element is an object (a map whose keys are names the registrar chooses).</summary>
    public bool IsObject(JsonElement element, string pointer)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return true;
        }
        Report(CatalogErrorCode.WrongType, pointer, "wrong type", "an object", Describe(element));
        return false;
    }

    /// <summary>Checks the element is an object and reports properties not in <paramref name="known"/>.</summary>
    public bool ExpectObject(JsonElement element, string pointer, params string[] known)
    {
        if (!IsObject(element, pointer))
        {
            return false;
        }
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                Report(CatalogErrorCode.UnknownField, Pointer(pointer, property.Name), $"unknown field \"{property.Name}\"",
                    "one of " + string.Join(", ", known), $"\"{property.Name}\"");
            }
        }
        return true;
    }

    public JsonElement? Required(JsonElement obj, string pointer, string name, string expected)
    {
        if (obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }
        Report(CatalogErrorCode.MissingField, Pointer(pointer, name), $"missing required field \"{name}\"", expected, "nothing");
        return null;
    }

    public static JsonElement? Optional(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string? RequiredString(JsonElement obj, string pointer, string name) =>
        Required(obj, pointer, name, "a non-empty string") is { } value ? AsString(value, Pointer(pointer, name)) : null;

    public string? OptionalString(JsonElement obj, string pointer, string name) =>
        Optional(obj, name) is { } value ? AsString(value, Pointer(pointer, name)) : null;

    public string? AsString(JsonElement value, string pointer)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            Report(CatalogErrorCode.WrongType, pointer, "wrong type", "a string", Describe(value));
            return null;
        }
        var text = value.GetString()!.Trim();
        if (text.Length == 0)
        {
            Report(CatalogErrorCode.InvalidValue, pointer, "empty text", "a non-empty string", "\"\"");
            return null;
        }
        return text;
    }

    public string? RequiredSlug(JsonElement obj, string pointer, string name) =>
        RequiredString(obj, pointer, name) is { } text ? AsSlug(text, Pointer(pointer, name)) : null;

    public string? AsSlug(string text, string pointer)
    {
        if (IsSlug(text))
        {
            return text;
        }
        Report(CatalogErrorCode.NotASlug, pointer, "not a URL-safe id",
            "a slug of lower-case letters, digits and single hyphens, like \"data-analytics-level-1\"", $"\"{text}\"");
        return null;
    }

    public static bool IsSlug(string text) => text.Length <= 100 && SlugPattern().IsMatch(text);

    public Uri? RequiredUrl(JsonElement obj, string pointer, string name) =>
        Required(obj, pointer, name, "an absolute http(s) URL") is { } value ? AsUrl(value, Pointer(pointer, name)) : null;

    public Uri? OptionalUrl(JsonElement obj, string pointer, string name) =>
        Optional(obj, name) is { } value ? AsUrl(value, Pointer(pointer, name)) : null;

    private Uri? AsUrl(JsonElement value, string pointer)
    {
        if (AsString(value, pointer) is not { } text)
        {
            return null;
        }
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0)
        {
            return uri;
        }
        Report(CatalogErrorCode.BadUrl, pointer, "not an absolute http(s) URL", "an absolute URL like \"https://www.example.edu/badges\"", $"\"{text}\"");
        return null;
    }

    public decimal? OptionalNumber(JsonElement obj, string pointer, string name, decimal minimum)
    {
        if (Optional(obj, name) is not { } value)
        {
            return null;
        }
        var at = Pointer(pointer, name);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
        {
            Report(CatalogErrorCode.WrongType, at, "wrong type", "a number", Describe(value));
            return null;
        }
        if (number < minimum)
        {
            Report(CatalogErrorCode.InvalidValue, at, "number out of range",
                $"a number ≥ {minimum.ToString(CultureInfo.InvariantCulture)}", number.ToString(CultureInfo.InvariantCulture));
            return null;
        }
        return number;
    }

    public int? RequiredInteger(JsonElement obj, string pointer, string name)
    {
        if (Required(obj, pointer, name, "a whole number") is not { } value)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            Report(CatalogErrorCode.WrongType, Pointer(pointer, name), "wrong type", "a whole number", Describe(value));
            return null;
        }
        return number;
    }

    public bool? OptionalBoolean(JsonElement obj, string pointer, string name)
    {
        if (Optional(obj, name) is not { } value)
        {
            return null;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }
        Report(CatalogErrorCode.WrongType, Pointer(pointer, name), "wrong type", "true or false", Describe(value));
        return null;
    }

    public IsoPeriod? RequiredPeriod(JsonElement obj, string pointer, string name) =>
        Required(obj, pointer, name, IsoPeriod.Example) is { } value ? AsPeriod(value, Pointer(pointer, name)) : null;

    public IsoPeriod? OptionalPeriod(JsonElement obj, string pointer, string name) =>
        Optional(obj, name) is { } value ? AsPeriod(value, Pointer(pointer, name)) : null;

    private IsoPeriod? AsPeriod(JsonElement value, string pointer)
    {
        if (AsString(value, pointer) is not { } text)
        {
            return null;
        }
        if (IsoPeriod.Parse(text) is { } period)
        {
            return period;
        }
        Report(CatalogErrorCode.InvalidValue, pointer, "not a period", IsoPeriod.Example, $"\"{text}\"");
        return null;
    }

    /// <summary>An optional array; each item read by <paramref name="item"/> (items that fail are left out after reporting).</summary>
    public List<T> OptionalArray<T>(JsonElement obj, string pointer, string name, Func<JsonElement, string, T?> item)
        where T : class
    {
        var result = new List<T>();
        if (Optional(obj, name) is not { } value)
        {
            return result;
        }
        var at = Pointer(pointer, name);
        if (value.ValueKind != JsonValueKind.Array)
        {
            Report(CatalogErrorCode.WrongType, at, "wrong type", "an array", Describe(value));
            return result;
        }
        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            if (item(element, Pointer(at, index)) is { } read)
            {
                result.Add(read);
            }
            index++;
        }
        return result;
    }

    /// <summary>How a JSON value looks, for "found …" in messages.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"\"{Trim(value.GetString() ?? string.Empty)}\"",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    private static string Trim(string text) => text.Length <= 80 ? text : text[..77] + "...";

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
