using Pipeline.Core.Pathways;

namespace Pipeline.Core.Catalog;

/// <summary>How the criteria of an achievement are described: a narrative (Markdown allowed) and/or a URL.</summary>
public sealed record Criteria(string? Narrative, Uri? Url);

/// <summary>An alignment to a framework or standard (OB 3.0 Alignment; OB 2.0 AlignmentObject).</summary>
public sealed record Alignment
{
    public required string TargetName { get; init; }
    public required Uri TargetUrl { get; init; }
    public string? TargetDescription { get; init; }
    public string? TargetFramework { get; init; }
    public string? TargetCode { get; init; }
    /// <summary>OB 3.0 AlignmentTargetType, e.g. <c>CFItem</c>, <c>CTDL</c>, <c>ext:Skill</c>.</summary>
    public string? TargetType { get; init; }
}

/// <summary>Evidence the issuer attaches to every award of an achievement (e.g. a portfolio guideline URL).</summary>
public sealed record EvidenceTemplate
{
    public Uri? Url { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? Narrative { get; init; }
}

/// <summary>How long an award stays valid. <c>null</c> ValidFor means it never expires.</summary>
public sealed record ExpiryPolicy
{
    /// <summary>Validity counted from the award date, as years, months and days.</summary>
    public int Years { get; init; }
    public int Months { get; init; }
    public int Days { get; init; }

    public DateTimeOffset ValidUntil(DateTimeOffset awardedAt) =>
        awardedAt.AddYears(Years).AddMonths(Months).AddDays(Days);
}

/// <summary>
/// One thing a learner can earn: everything a registrar promises is inside the badge (name, description,
/// criteria, image, tags, alignments, type, credits, field of study, evidence, expiry) plus the pathway
/// rule that decides when it is earned.
/// </summary>
public sealed record Achievement
{
    /// <summary>URL-safe slug, unique in the catalog; appears in <c>/achievements/{Id}</c>.</summary>
    public required string Id { get; init; }
    public required string IssuerId { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required Criteria Criteria { get; init; }
    /// <summary>Source art of the badge, PNG, relative to the catalog folder.</summary>
    public required string ImagePngPath { get; init; }
    /// <summary>Source art of the badge, SVG, relative to the catalog folder.</summary>
    public required string ImageSvgPath { get; init; }
    /// <summary>Alt text / caption for the badge image.</summary>
    public string? ImageCaption { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<Alignment> Alignments { get; init; } = [];
    /// <summary>OB 3.0 AchievementType (Badge, MicroCredential, Certificate, … or ext:…).</summary>
    public string AchievementType { get; init; } = "Badge";
    public decimal? CreditsAvailable { get; init; }
    public string? FieldOfStudy { get; init; }
    public string? HumanCode { get; init; }
    public IReadOnlyList<EvidenceTemplate> Evidence { get; init; } = [];
    public ExpiryPolicy? Expiry { get; init; }
    /// <summary>When the achievement is earned. Every achievement has one.</summary>
    public required PathwayRule Rule { get; init; }
}
