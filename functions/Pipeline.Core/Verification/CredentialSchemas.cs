using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Pipeline.Core.Verification;

/// <summary>
/// The 1EdTech OB 3.0 JSON Schemas, embedded byte-for-byte from the repository's standards/ob3/schemas (MANIFEST.json there).
/// Each is built once, in its own registry.
/// </summary>
internal static class CredentialSchemas
{
    public const string AchievementCredential = "ob_v3p0_achievementcredential_schema.json";
    public const string EndorsementCredential = "ob_v3p0_endorsementcredential_schema.json";
    public const string Profile = "ob_v3p0_profile_schema.json";

    private static readonly Lazy<JsonSchema> Achievement = new(() => Load(AchievementCredential));
    private static readonly Lazy<JsonSchema> Endorsement = new(() => Load(EndorsementCredential));
    private static readonly Lazy<JsonSchema> ProfileSchema = new(() => Load(Profile));

    public static JsonSchema Get(string name) => name switch
    {
        AchievementCredential => Achievement.Value,
        EndorsementCredential => Endorsement.Value,
        Profile => ProfileSchema.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown schema."),
    };

    public static string ReadText(string name)
    {
        using var stream = typeof(CredentialSchemas).Assembly.GetManifestResourceStream("Pipeline.Core.Credentials.Schemas." + name)
            ?? throw new InvalidOperationException($"Embedded schema {name} is missing from {typeof(CredentialSchemas).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Validates; returns the errors as "JSON pointer: message", at most <paramref name="limit"/>, empty when valid.</summary>
    public static IReadOnlyList<string> Validate(string name, JsonNode instance, int limit = 8)
    {
        using var document = JsonDocument.Parse(instance.ToJsonString());
        var results = Get(name).Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }
        var errors = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {e.Value}"))
            .Distinct()
            .Take(limit)
            .ToList();
        return errors.Count > 0 ? errors : ["/: does not match the schema"];
    }

    private static JsonSchema Load(string name) =>
        JsonSchema.FromText(ReadText(name), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
}
