using System.Collections.Immutable;
using System.Globalization;
using Pipeline.Core.Catalog;

namespace Pipeline.Core.Pathways;

/// <summary>When a rule became satisfied (<see cref="At"/>), the earliest fact used (<see cref="First"/>), and the facts that satisfied it.</summary>
internal sealed record Satisfaction(DateTimeOffset At, DateTimeOffset First, ImmutableSortedSet<string> EventIds, ImmutableSortedSet<string> Achievements)
{
    public static Satisfaction Of(IReadOnlyCollection<Satisfaction> parts) => new(
        parts.Max(p => p.At),
        parts.Min(p => p.First),
        parts.Aggregate(ImmutableSortedSet.Create<string>(StringComparer.Ordinal), (set, p) => set.Union(p.EventIds)),
        parts.Aggregate(ImmutableSortedSet.Create<string>(StringComparer.Ordinal), (set, p) => set.Union(p.Achievements)));
}

/// <summary>
/// The earliest-satisfaction semantics of pathway rules (docs/catalog.md): activity = earliest qualifying
/// completion; allOf = latest of its parts; anyOf = earliest part; atLeast(n) = n-th earliest part;
/// earned = that achievement's award time; within = the earliest moment facts inside one window satisfy the rule.
/// Every tie is broken by a fixed order (event id, rule position), so the result never depends on arrival order.
/// </summary>
internal sealed class RuleSatisfier(PipelineCatalog catalog)
{
    public Satisfaction? Satisfy(PathwayRule rule, FactSet facts) => rule switch
    {
        ActivityRule activity => facts.For(activity.Activity).FirstOrDefault(e => Check(activity, e) is null) is { } first
            ? new Satisfaction(first.CompletedAt, first.CompletedAt, [first.Id], ImmutableSortedSet.Create<string>(StringComparer.Ordinal))
            : null,
        EarnedRule earned => facts.Earned.TryGetValue(earned.Achievement, out var at)
            ? new Satisfaction(at, at, ImmutableSortedSet.Create<string>(StringComparer.Ordinal), ImmutableSortedSet.Create(StringComparer.Ordinal, earned.Achievement))
            : null,
        AllOfRule all => Parts(all.Rules, facts) is var parts && parts.All(p => p is not null)
            ? Satisfaction.Of([.. parts.Select(p => p!)])
            : null,
        AnyOfRule any => Earliest(any.Rules, facts, 1),
        AtLeastRule atLeast => Earliest(atLeast.Rules, facts, atLeast.Count),
        WithinRule within => SatisfyWithin(within, facts)?.Satisfaction,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown rule kind."),
    };

    /// <summary>The first window (by its end) whose facts satisfy the inner rule, and those facts.</summary>
    public (Satisfaction Satisfaction, FactSet Facts)? SatisfyWithin(WithinRule within, FactSet facts)
    {
        foreach (var end in facts.Moments())
        {
            var inside = facts.Window(WindowStart(end, within.Window), end);
            if (Satisfy(within.Rule, inside) is { } satisfied)
            {
                return (satisfied, inside);
            }
        }
        return null;
    }

    /// <summary>Why a completion does not qualify for an activity rule, or <c>null</c> when it does.</summary>
    public string? Check(ActivityRule rule, CompletionEvent completion)
    {
        var on = " on " + Date(completion.CompletedAt);
        if (completion.Outcome == CompletionOutcome.Failed)
        {
            return "failed" + on;
        }
        if (rule.RequirePass && completion.Outcome != CompletionOutcome.Passed)
        {
            return "completed without a pass" + on;
        }
        if (rule.MinimumScore is { } minimumScore)
        {
            if (completion.Score is not { } score)
            {
                return $"no score recorded{on} (minimum score {Number(minimumScore)})";
            }
            if (score < minimumScore)
            {
                return $"score {Number(score)}{on} is below the minimum {Number(minimumScore)}";
            }
        }
        if (rule.MinimumGrade is { } minimumGrade)
        {
            var scale = catalog.GradeScaleFor(rule.Activity);
            if (completion.Grade is not { } grade || grade.Trim().Length == 0)
            {
                return $"no grade recorded{on} (minimum {minimumGrade})";
            }
            if (scale is null || !scale.Contains(grade))
            {
                return $"grade \"{grade.Trim()}\"{on} is not on the {scale?.Name ?? "activity's"} grade scale (minimum {minimumGrade})";
            }
            if (!scale.IsAtLeast(grade, minimumGrade))
            {
                return $"{grade.Trim()}{on} is below the minimum {minimumGrade}";
            }
        }
        return null;
    }

    public static DateTimeOffset WindowStart(DateTimeOffset end, WindowLength window) =>
        end.ToUniversalTime().AddMonths(-window.Months).AddDays(-window.Days);

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Number(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private List<Satisfaction?> Parts(IReadOnlyList<PathwayRule> rules, FactSet facts) => [.. rules.Select(r => Satisfy(r, facts))];

    private Satisfaction? Earliest(IReadOnlyList<PathwayRule> rules, FactSet facts, int count)
    {
        var met = Parts(rules, facts)
            .Select((part, index) => (part, index))
            .Where(p => p.part is not null)
            .OrderBy(p => p.part!.At)
            .ThenBy(p => p.index)
            .Take(count)
            .Select(p => p.part!)
            .ToList();
        return met.Count == count ? Satisfaction.Of(met) : null;
    }
}
