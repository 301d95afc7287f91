using System.Globalization;
using System.Text.Json;
using Json.Schema;

namespace Pipeline.Core.Contracts;

/// <summary>A JSON Schema violation: the JSON pointer of the offending value (RFC 6901, "" for the document) and what is wrong.</summary>
public sealed record SchemaViolation(string JsonPointer, string Message)
{
    public override string ToString() => $"{(JsonPointer.Length == 0 ? "/" : JsonPointer)}: {Message}";
}

/// <summary>
/// The published input contracts (docs/schemas/*.json, embedded byte for byte): the <c>completions</c> queue message
/// and the webhook payloads. Each schema is built once, in its own registry.
/// </summary>
public static class ContractSchemas
{
    public const string RecordCompletionV1 = "record-completion.v1.schema.json";
    public const string WebhookCompletionsV1 = "webhook-completions.v1.schema.json";
    public const string CaliperEnvelope = "caliper-envelope.v1p2.schema.json";
    public const string MoodleCourseCompleted = "moodle-course-completed.schema.json";

    private static readonly Dictionary<string, Lazy<JsonSchema>> Schemas = new[] { RecordCompletionV1, WebhookCompletionsV1, CaliperEnvelope, MoodleCourseCompleted }
        .ToDictionary(n => n, n => new Lazy<JsonSchema>(() => JsonSchema.FromText(ReadText(n), new BuildOptions { SchemaRegistry = new SchemaRegistry() })), StringComparer.Ordinal);

    /// <summary>The schema file's text, as published.</summary>
    public static string ReadText(string name)
    {
        using var stream = typeof(ContractSchemas).Assembly.GetManifestResourceStream("Pipeline.Core.Contracts.Schemas." + name)
            ?? throw new ArgumentOutOfRangeException(nameof(name), name, "No such embedded contract schema.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The first violation (deepest location first, then document order), or <c>null</c> when the instance matches.</summary>
    public static SchemaViolation? FirstViolation(string name, JsonElement instance)
    {
        if (!Schemas.TryGetValue(name, out var schema))
        {
            throw new ArgumentOutOfRangeException(nameof(name), name, "No such contract schema.");
        }
        EvaluationResults results;
        try
        {
            results = schema.Value.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        }
        catch (FormatException) when (OutOfRangeNumber(instance, string.Empty) is { } violation)
        {
            // JsonSchema.Net compares numbers as decimal (const, enum, minimum, ...) and throws on one beyond its range
            // (found by fuzzing the webhook body: "version": 1222…2, 31 digits); such a number is a violation here.
            return violation;
        }
        if (results.IsValid)
        {
            return null;
        }
        var first = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .Select(d => new SchemaViolation(d.InstanceLocation.ToString(), string.Join("; ", d.Errors!.Values) + Found(d.InstanceLocation.Evaluate(instance))))
            .OrderByDescending(v => v.JsonPointer.Count(c => c == '/'))
            .FirstOrDefault();
        return first ?? new SchemaViolation(string.Empty, "does not match the schema");
    }

    /// <summary>The first number (document order) that a decimal cannot hold, as a violation at its location.</summary>
    private static SchemaViolation? OutOfRangeNumber(JsonElement element, string pointer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number when !element.TryGetDecimal(out _):
                return new SchemaViolation(pointer, $"a number between -79228162514264337593543950335 and 79228162514264337593543950335{Found(element)}");
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (OutOfRangeNumber(property.Value, pointer + "/" + property.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (OutOfRangeNumber(item, string.Create(CultureInfo.InvariantCulture, $"{pointer}/{index++}")) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>The offending value as JSON text, so the reader sees what was found (long values are cut).</summary>
    private static string Found(JsonElement? value)
    {
        if (value is not { } element)
        {
            return string.Empty;
        }
        var text = element.GetRawText();
        return $"; found {(text.Length > 80 ? text[..80] + "…" : text)}";
    }
}
