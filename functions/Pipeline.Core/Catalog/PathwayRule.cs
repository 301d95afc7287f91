namespace Pipeline.Core.Catalog;

/// <summary>
/// A declarative pathway rule: when is an achievement earned. Rules nest; the catalog's JSON form is read by
/// <c>CatalogLoader</c> (see docs/catalog.md).
/// </summary>
public abstract record PathwayRule;

/// <summary>Every one of the rules holds.</summary>
public sealed record AllOfRule(IReadOnlyList<PathwayRule> Rules) : PathwayRule;

/// <summary>At least one of the rules holds (alternative routes, e.g. modules + assessment, or the assessment alone).</summary>
public sealed record AnyOfRule(IReadOnlyList<PathwayRule> Rules) : PathwayRule;

/// <summary>At least <see cref="Count"/> of the rules hold ("any 2 of these 4 electives").</summary>
public sealed record AtLeastRule(int Count, IReadOnlyList<PathwayRule> Rules) : PathwayRule;

/// <summary>
/// The learner completed an activity. Optional thresholds: a minimum grade on the catalog's grade scale,
/// a minimum score, or that the outcome was a pass (a Failed outcome never satisfies this rule).
/// </summary>
public sealed record ActivityRule(string Activity) : PathwayRule
{
    public string? MinimumGrade { get; init; }
    public decimal? MinimumScore { get; init; }
    public bool RequirePass { get; init; }
}

/// <summary>The learner has earned another achievement (stacking).</summary>
public sealed record EarnedRule(string Achievement) : PathwayRule;

/// <summary>
/// The inner rule is satisfied by facts that all fall within a window, e.g. <c>"P18M"</c>: the earliest
/// and latest completion used are at most that far apart.
/// </summary>
public sealed record WithinRule(WindowLength Window, PathwayRule Rule) : PathwayRule;

/// <summary>A time window length in months and days (ISO 8601 subset <c>PnYnMnD</c> in JSON).</summary>
public sealed record WindowLength(int Months, int Days);
