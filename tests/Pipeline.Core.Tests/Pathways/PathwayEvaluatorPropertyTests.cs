using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Pathways;

/// <summary>The spec invariant: what is earned, and when, does not depend on the order facts arrived in.</summary>
public sealed class PathwayEvaluatorPropertyTests
{
    private static readonly string[] Activities = [.. SampleCatalog.Catalog.Activities.Keys.Order(StringComparer.Ordinal)];
    /// <summary>Activities of the stacking and windowed programmes, drawn half the time so stacks and windows are often complete.</summary>
    private static readonly string[] Focus =
        ["DAT101", "DAT201", "DAT202", "DAT301", "AME410", "ECE420", "AME430", "CSC380", "CSC480", "CSC485", "CRS100", "CRS200", "DSC410", "DSC420"];

    private static readonly string?[] Grades = ["A", "B+", "B-", "C", "F", "Pass", "High Pass", "Low Pass", "Z", null];
    private static readonly PathwayEvaluator Evaluator = new(SampleCatalog.Catalog);
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Gen<CompletionEvent> EventGen =>
        from activity in Gen.OneOf(Gen.Elements(Activities), Gen.Elements(Focus))
        from day in Gen.Choose(0, 1500)
        from hour in Gen.Choose(0, 3)
        from outcome in Gen.Elements(CompletionOutcome.Completed, CompletionOutcome.Passed, CompletionOutcome.Failed)
        from grade in Gen.Elements(Grades)
        from score in Gen.Elements<decimal?>(null, 50m, 79m, 80m, 95m)
        select new CompletionEvent
        {
            Source = "queue",
            LearnerId = Completions.Learner,
            ActivityId = activity,
            CompletedAt = Start.AddDays(day).AddHours(hour * 6),
            Outcome = outcome,
            Grade = grade,
            Score = score,
        };

    private static Arbitrary<(CompletionEvent[] Events, CompletionEvent[] Shuffled)> EventsAndShuffle =>
        (from events in Gen.ArrayOf(EventGen)
         from shuffled in Gen.Shuffle(events)
         select (events, shuffled)).ToArbitrary();

    private static string[] Summary(IEnumerable<EarnedAchievement> earned) =>
        [.. earned.Select(e => $"{e.AchievementId}@{e.AwardedAt:O}/{e.ValidUntil:O}/{string.Join(",", e.EventIds)}/{string.Join(",", e.StackedOn)}")];

    [Property(MaxTest = 300)]
    public Property Evaluation_is_independent_of_event_order() =>
        Prop.ForAll(EventsAndShuffle, pair =>
        {
            var original = Summary(Evaluator.Evaluate(Completions.Progress(pair.Events)));
            var shuffled = Summary(Evaluator.Evaluate(Completions.Progress(pair.Shuffled)));
            return original.SequenceEqual(shuffled);
        });

    [Property(MaxTest = 100)]
    public Property Explanations_are_independent_of_event_order() =>
        Prop.ForAll(EventsAndShuffle, pair => SampleCatalog.Catalog.Achievements.Keys.All(id =>
            Evaluator.Explain(Completions.Progress(pair.Events), id).ToPlainText()
            == Evaluator.Explain(Completions.Progress(pair.Shuffled), id).ToPlainText()));

    [Property(MaxTest = 100)]
    public Property Every_earned_achievement_agrees_with_its_explanation() =>
        Prop.ForAll(EventsAndShuffle, pair =>
        {
            var progress = Completions.Progress(pair.Events);
            return Evaluator.Evaluate(progress).All(e => Evaluator.Explain(progress, e.AchievementId) is { Rule.Met: true } x && x.AwardedAt == e.AwardedAt);
        });
}
