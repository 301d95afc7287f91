using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Core.Contracts;

/// <summary>The one serializer for queue messages and integration events: camelCase, enums as strings.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(RecordCompletion))]
[JsonSerializable(typeof(IssueCredential))]
[JsonSerializable(typeof(SendClaimEmail))]
[JsonSerializable(typeof(ResendClaimLinks))]
[JsonSerializable(typeof(CredentialIssued))]
[JsonSerializable(typeof(CredentialRevoked))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
