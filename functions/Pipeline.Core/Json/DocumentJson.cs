using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Core.Json;

/// <summary>How published JSON documents (credentials, OB 2.0 JSON, key files, reports) are written: indented UTF-8, minimal escaping.</summary>
public static class DocumentJson
{
    public static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] ToUtf8(JsonNode document) => JsonSerializer.SerializeToUtf8Bytes(document, Indented);
}
