using System.Text.Json.Serialization;

namespace Pipeline.Azure.Storage;

[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class AzureJsonContext : JsonSerializerContext;
