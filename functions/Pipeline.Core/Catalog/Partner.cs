namespace Pipeline.Core.Catalog;

/// <summary>What a partner's webhook body looks like (docs/integrations.md).</summary>
public enum PartnerPayload
{
    /// <summary>Our own JSON: <c>docs/schemas/webhook-completions.v1.schema.json</c>.</summary>
    Pipeline,
    /// <summary>An IMS/1EdTech Caliper 1.2 envelope of <c>GradeEvent</c> and <c>AssessmentEvent</c>s.</summary>
    Caliper,
    /// <summary>Moodle's <c>\core\event\course_completed</c> as a webhook plugin (local_webhooks) posts it.</summary>
    Moodle,
}

/// <summary>
/// A system that posts completions to <c>POST /webhooks/{id}</c> (<c>catalog/partners/{id}.json</c>). The catalog holds
/// how its ids map onto ours; its signing secrets live outside the catalog (<see cref="Stages.Webhooks.IPartnerSecrets"/>).
/// </summary>
public sealed record Partner
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required PartnerPayload Payload { get; init; }
    public PartnerIdMapping Learners { get; init; } = new();
    public PartnerIdMapping Activities { get; init; } = new();
    /// <summary>When the learner's email is their id in this pipeline (the partner's id, mapped, is an email address).</summary>
    public bool EmailIsLearnerId { get; init; }
    /// <summary>A payload without an email gets <c>{learnerId}@{EmailDomain}</c>; without either, the item is rejected.</summary>
    public string? EmailDomain { get; init; }
    /// <summary>Caliper scores (as a percentage of <c>maxScore</c>) at or above pass, below fail; unset: outcome "completed".</summary>
    public decimal? PassingScore { get; init; }
}

/// <summary>
/// How a partner's id becomes ours: <see cref="StripPrefix"/> is removed (an IRI like <c>https://lms.example.edu/users/</c>),
/// then, when <see cref="Map"/> is non-empty, the id must be in it (an id not there is unknown); otherwise
/// <see cref="Prefix"/> is put in front.
/// </summary>
public sealed record PartnerIdMapping
{
    public string? StripPrefix { get; init; }
    public string Prefix { get; init; } = "";
    public IReadOnlyDictionary<string, string> Map { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Our id for the partner's, or <c>null</c> when the map does not know it.</summary>
    public string? Resolve(string partnerId)
    {
        ArgumentNullException.ThrowIfNull(partnerId);
        var id = partnerId.Trim();
        if (StripPrefix is { Length: > 0 } strip && id.StartsWith(strip, StringComparison.Ordinal))
        {
            id = id[strip.Length..];
        }
        if (Map.Count > 0)
        {
            return Map.TryGetValue(id, out var mapped) ? mapped : null;
        }
        return id.Length == 0 ? null : Prefix + id;
    }
}
