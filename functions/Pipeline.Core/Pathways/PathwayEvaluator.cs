using Pipeline.Core.Catalog;

namespace Pipeline.Core.Pathways;

/// <summary>
/// Decides which achievements a learner has newly earned, and explains where they stand on any achievement.
/// Pure and deterministic: the same facts, in any order, give the same awards and award times.
/// </summary>
public sealed class PathwayEvaluator
{
    private readonly PipelineCatalog _catalog;
    private readonly RuleSatisfier _satisfier;

    public PathwayEvaluator(PipelineCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _satisfier = new RuleSatisfier(catalog);
    }

    /// <summary>
    /// The achievements the learner's facts satisfy that are not in <see cref="LearnerProgress.Earned"/>, including
    /// those stacked on other achievements (to a fixpoint), in stacking order (inputs before what they stack into).
    /// </summary>
    public IReadOnlyList<EarnedAchievement> Evaluate(LearnerProgress progress)
    {
        var (newly, _) = Run(progress);
        return newly;
    }

    /// <summary>A tree mirroring the achievement's rule: what is met, when, and what is missing, in plain words.</summary>
    public AchievementExplanation Explain(LearnerProgress progress, string achievementId)
    {
        ArgumentNullException.ThrowIfNull(achievementId);
        if (!_catalog.Achievements.TryGetValue(achievementId, out var achievement))
        {
            throw new ArgumentException($"No achievement '{achievementId}' in the catalog.", nameof(achievementId));
        }
        var (newly, facts) = Run(progress);
        var prior = progress.Earned.Where(p => p.AchievementId == achievementId).Select(p => (DateTimeOffset?)p.AwardedAt).Min();
        var awarded = prior ?? newly.FirstOrDefault(n => n.AchievementId == achievementId)?.AwardedAt;
        var root = new RuleExplainer(_catalog, _satisfier).Explain(achievement.Rule, facts);
        return new AchievementExplanation(achievementId, achievement.Name, awarded, prior is not null, root);
    }

    private (List<EarnedAchievement> Newly, FactSet Facts) Run(LearnerProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var learner = progress.LearnerId.Trim();
        var stranger = progress.Events.FirstOrDefault(e => e.LearnerId.Trim() != learner);
        if (stranger is not null)
        {
            throw new ArgumentException($"Event {stranger.Id} is for learner '{stranger.LearnerId}', not '{progress.LearnerId}'.", nameof(progress));
        }
        var earned = progress.Earned
            .GroupBy(p => p.AchievementId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(p => p.AwardedAt), StringComparer.Ordinal);
        var facts = FactSet.From(progress.Events, earned);
        var newly = new List<EarnedAchievement>();
        foreach (var achievement in _catalog.StackingOrder)
        {
            if (earned.ContainsKey(achievement.Id) || _satisfier.Satisfy(achievement.Rule, facts) is not { } satisfied)
            {
                continue;
            }
            earned[achievement.Id] = satisfied.At;
            newly.Add(new EarnedAchievement(
                achievement.Id,
                satisfied.At,
                achievement.Expiry?.ValidUntil(satisfied.At),
                [.. satisfied.EventIds],
                [.. satisfied.Achievements]));
        }
        return (newly, facts);
    }
}
