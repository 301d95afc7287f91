using System.Text;

namespace Pipeline.Core.Pathways;

/// <summary>The kind of rule an explanation node mirrors.</summary>
public enum RuleKind
{
    AllOf,
    AnyOf,
    AtLeast,
    Activity,
    Earned,
    Within,
}

/// <summary>
/// One node of an explanation, mirroring one rule: whether it is met (and since when), what is met or missing
/// in plain words (e.g. "CS101 passed with B+ on 2026-05-01 (minimum B)", "missing: any 2 of ELEC1, ELEC2,
/// ELEC3, ELEC4 — 1 done"), and the explanations of its parts.
/// </summary>
public sealed record RuleExplanation(
    RuleKind Kind,
    bool Met,
    DateTimeOffset? MetAt,
    string Description,
    IReadOnlyList<RuleExplanation> Children);

/// <summary>Where a learner stands on one achievement.</summary>
public sealed record AchievementExplanation(
    string AchievementId,
    string AchievementName,
    DateTimeOffset? AwardedAt,
    bool EarnedBefore,
    RuleExplanation Rule)
{
    public bool Earned => AwardedAt is not null;

    /// <summary>An indented plain-text rendering: a heading, then one line per rule, <c>[x]</c> met, <c>[ ]</c> missing.</summary>
    public string ToPlainText()
    {
        var text = new StringBuilder();
        var status = AwardedAt is { } at
            ? (EarnedBefore ? "earned on " : "earned now, as of ") + RuleSatisfier.Date(at)
            : "not earned yet";
        text.Append(AchievementName).Append(" (").Append(AchievementId).Append("): ").Append(status).Append('\n');
        Render(text, Rule, 1);
        return text.ToString();
    }

    private static void Render(StringBuilder text, RuleExplanation node, int depth)
    {
        text.Append(' ', depth * 2).Append(node.Met ? "[x] " : "[ ] ").Append(node.Description).Append('\n');
        foreach (var child in node.Children)
        {
            Render(text, child, depth + 1);
        }
    }
}
