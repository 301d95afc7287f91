using System.Text.Json.Serialization;

namespace Pipeline.Local.Storage;

/// <summary>JSON for list-valued ledger columns.</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class LocalJsonContext : JsonSerializerContext;
