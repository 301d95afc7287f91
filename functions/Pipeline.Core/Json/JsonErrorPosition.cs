using System.Text.Json;

namespace Pipeline.Core.Json;

/// <summary>
/// Where a JSON parser stopped, in our words (line and byte, both counted from 1), for messages people read: the
/// parser's own message names library types and internals, so it is never shown.
/// </summary>
public static class JsonErrorPosition
{
    /// <summary>" (line 3, byte 14)", or empty when the parser did not say (a member named twice has no position).</summary>
    public static string Describe(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.LineNumber is { } line && exception.BytePositionInLine is { } position
            ? $" (line {line + 1}, byte {position + 1})"
            : "";
    }
}
