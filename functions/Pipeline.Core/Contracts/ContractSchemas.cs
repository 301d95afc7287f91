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
        var results = schema.Value.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
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
