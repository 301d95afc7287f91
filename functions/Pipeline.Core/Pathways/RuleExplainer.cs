using System.Globalization;
using Pipeline.Core.Catalog;

namespace Pipeline.Core.Pathways;

/// <summary>Builds the <see cref="RuleExplanation"/> tree of a rule over a learner's facts, using the evaluator's own semantics.</summary>
internal sealed class RuleExplainer(PipelineCatalog catalog, RuleSatisfier satisfier)
{
    public RuleExplanation Explain(PathwayRule rule, FactSet facts) => rule switch
    {
        ActivityRule activity => ExplainActivity(activity, facts),
        EarnedRule earned => ExplainEarned(earned, facts),
        AllOfRule all => ExplainGroup(RuleKind.AllOf, all, all.Rules, facts, $"all of {List(all.Rules)}"),
        AnyOfRule any => ExplainGroup(RuleKind.AnyOf, any, any.Rules, facts, $"one of {List(any.Rules)}"),
        AtLeastRule atLeast => ExplainGroup(RuleKind.AtLeast, atLeast, atLeast.Rules, facts,
            $"any {Count(atLeast.Count)} of {List(atLeast.Rules)}"),
        WithinRule within => ExplainWithin(within, facts),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown rule kind."),
    };

    private RuleExplanation ExplainActivity(ActivityRule rule, FactSet facts)
    {
        var name = catalog.DisplayActivity(rule.Activity);
        var thresholds = Thresholds(rule);
        var events = facts.For(rule.Activity);
        var qualifying = events.FirstOrDefault(e => satisfier.Check(rule, e) is null);
        if (qualifying is not null)
        {
            var description = $"{name} {Outcome(qualifying)} on {RuleSatisfier.Date(qualifying.CompletedAt)}" +
                (thresholds.Length > 0 ? $" ({thresholds})" : string.Empty);
            return new RuleExplanation(RuleKind.Activity, true, qualifying.CompletedAt, description, []);
        }
        var wanted = thresholds.Length > 0 ? $"{name} ({thresholds})" : name;
        var latest = events.Count > 0 ? events[^1] : null;
        var why = latest is null ? "not completed yet" : satisfier.Check(rule, latest)!;
        return new RuleExplanation(RuleKind.Activity, false, null, $"missing: {wanted} — {why}", []);
    }

    private RuleExplanation ExplainEarned(EarnedRule rule, FactSet facts)
    {
        var name = AchievementName(rule.Achievement);
        return facts.Earned.TryGetValue(rule.Achievement, out var at)
            ? new RuleExplanation(RuleKind.Earned, true, at, $"earned {name} on {RuleSatisfier.Date(at)}", [])
            : new RuleExplanation(RuleKind.Earned, false, null, $"missing: {name} — not earned yet", []);
    }

    private RuleExplanation ExplainGroup(RuleKind kind, PathwayRule rule, IReadOnlyList<PathwayRule> rules, FactSet facts, string what)
    {
        var children = rules.Select(r => Explain(r, facts)).ToList();
        var done = children.Count(c => c.Met);
        var satisfied = satisfier.Satisfy(rule, facts);
        var progress = kind == RuleKind.AllOf ? $"{Count(done)} of {Count(rules.Count)} done" : $"{Count(done)} done";
        var description = satisfied is { } s
            ? $"{what} — {progress}, met on {RuleSatisfier.Date(s.At)}"
            : $"missing: {what} — {(done == 0 && kind == RuleKind.AnyOf ? "none done" : progress)}";
        return new RuleExplanation(kind, satisfied is not null, satisfied?.At, description, children);
    }

    private RuleExplanation ExplainWithin(WithinRule rule, FactSet facts)
    {
        var window = Window(rule.Window);
        if (satisfier.SatisfyWithin(rule, facts) is { } found)
        {
            var inner = Explain(rule.Rule, found.Facts);
            var first = RuleSatisfier.Date(found.Satisfaction.First);
            return new RuleExplanation(RuleKind.Within, true, found.Satisfaction.At,
                $"{Label(rule.Rule)} within {window} — done between {first} and {RuleSatisfier.Date(found.Satisfaction.At)}", [inner]);
        }
        var unrestricted = Explain(rule.Rule, facts);
        var description = unrestricted.Met
            ? $"missing: {Label(rule.Rule)} within {window} — done, but not within {window} of each other"
            : $"missing: {Label(rule.Rule)} within {window}";
        return new RuleExplanation(RuleKind.Within, false, null, description, [unrestricted]);
    }

    private string Label(PathwayRule rule) => rule switch
    {
        ActivityRule activity => activity.Activity,
        EarnedRule earned => AchievementName(earned.Achievement),
        AllOfRule all => $"all of {List(all.Rules)}",
        AnyOfRule any => $"one of {List(any.Rules)}",
        AtLeastRule atLeast => $"any {Count(atLeast.Count)} of {List(atLeast.Rules)}",
        WithinRule within => $"({Label(within.Rule)} within {Window(within.Window)})",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown rule kind."),
    };

    private string List(IReadOnlyList<PathwayRule> rules) =>
        string.Join(", ", rules.Select(r => r is ActivityRule or EarnedRule ? Label(r) : $"({Label(r)})"));

    private string AchievementName(string id) => catalog.Achievements.TryGetValue(id, out var a) ? a.Name : id;

    private static string Thresholds(ActivityRule rule)
    {
        var parts = new List<string>();
        if (rule.RequirePass)
        {
            parts.Add("pass required");
        }
        if (rule.MinimumGrade is { } grade)
        {
            parts.Add($"minimum {grade}");
        }
        if (rule.MinimumScore is { } score)
        {
            parts.Add($"minimum score {RuleSatisfier.Number(score)}");
        }
        return string.Join(", ", parts);
    }

    private static string Outcome(CompletionEvent completion)
    {
        var text = completion.Outcome == CompletionOutcome.Passed ? "passed" : "completed";
        if (completion.Grade is { } grade && grade.Trim().Length > 0)
        {
            text += $" with {grade.Trim()}";
        }
        if (completion.Score is { } score)
        {
            text += $" (score {RuleSatisfier.Number(score)})";
        }
        return text;
    }

    private static string Window(WindowLength window)
    {
        var parts = new List<string>();
        if (window.Months % 12 == 0 && window.Months > 0)
        {
            parts.Add(Plural(window.Months / 12, "year"));
        }
        else if (window.Months > 0)
        {
            parts.Add(Plural(window.Months, "month"));
        }
        if (window.Days > 0)
        {
            parts.Add(Plural(window.Days, "day"));
        }
        return string.Join(" ", parts);
    }

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{Count(n)} {unit}s";

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
