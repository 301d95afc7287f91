using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Core.Json;

/// <summary>Serializer options for hashed canonical forms: no indentation, minimal escaping, so the bytes are stable.</summary>
internal static class CanonicalJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
