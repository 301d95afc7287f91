using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Core.Json;

/// <summary>
/// How outside JSON is read everywhere (request bodies, fetched documents, baked payloads, status lists): one object,
/// each member once, nested at most <see cref="MaxJsonDepth"/> deep; a failure is a plain reason with its position,
/// never a library's message.
/// </summary>
public static class StrictJson
{
    /// <summary>How deep outside JSON may nest (System.Text.Json's default).</summary>
    public const int MaxJsonDepth = 64;

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = MaxJsonDepth };
    private static readonly JsonDocumentOptions Lenient = new() { AllowDuplicateProperties = true, MaxDepth = MaxJsonDepth };

    /// <summary>Parses outside JSON that must be one object naming each member once, nested at most <see cref="MaxJsonDepth"/> deep; else a plain reason.</summary>
    public static (JsonObject? Json, string? Error) ParseObject(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return JsonNode.Parse(text, documentOptions: Strict) is JsonObject json ? (json, null) : (null, "is JSON but not a JSON object");
        }
        catch (JsonException e)
        {
            return (null, JsonError(text, e));
        }
    }

    /// <summary>Whether <paramref name="utf8"/> is one JSON object naming each member once (as <see cref="ParseObject"/> reads it).</summary>
    public static bool IsObject(byte[] utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8, Strict);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string JsonError(string text, JsonException e)
    {
        var at = $"(line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1})";
        try
        {
            using var lenient = JsonDocument.Parse(text, Lenient);
            return $"names a member twice {at}; each member may appear once";
        }
        catch (JsonException)
        {
            return Deeper(text) ? $"nests deeper than {MaxJsonDepth} levels {at}" : $"is not valid JSON {at}";
        }
    }

    /// <summary>Whether the JSON nests deeper than <see cref="MaxJsonDepth"/> before it ends or breaks (a reader needs no stack per level).</summary>
    private static bool Deeper(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { MaxDepth = int.MaxValue });
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth >= MaxJsonDepth)
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        return false;
    }
}
