namespace Pipeline.Core.Pathways;

/// <summary>An achievement a learner already holds, and when it was awarded.</summary>
public sealed record PriorAward(string AchievementId, DateTimeOffset AwardedAt);

/// <summary>
/// What the evaluator knows about one learner: the completion facts recorded for them (in any order,
/// duplicates allowed) and the achievements already awarded.
/// </summary>
public sealed record LearnerProgress(string LearnerId, IReadOnlyCollection<CompletionEvent> Events, IReadOnlyCollection<PriorAward> Earned)
{
    public LearnerProgress(string learnerId, IReadOnlyCollection<CompletionEvent> events)
        : this(learnerId, events, [])
    {
    }
}

/// <summary>
/// An achievement newly earned by a learner. <see cref="AwardedAt"/> is the earliest moment its rule was
/// satisfied, derived from the facts alone (so replays and re-orderings give the same time);
/// <see cref="EventIds"/> and <see cref="StackedOn"/> are the completion events and achievements that
/// satisfied it, sorted, for audit and evidence.
/// </summary>
public sealed record EarnedAchievement(
    string AchievementId,
    DateTimeOffset AwardedAt,
    DateTimeOffset? ValidUntil,
    IReadOnlyList<string> EventIds,
    IReadOnlyList<string> StackedOn);
