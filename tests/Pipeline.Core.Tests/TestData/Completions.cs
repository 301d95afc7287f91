using System.Globalization;
using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;

namespace Pipeline.Core.Tests.TestData;

/// <summary>Builds completion events for one learner; dates like "2026-05-01" or "2026-05-01T14:00:00Z" (UTC).</summary>
internal static class Completions
{
    public const string Learner = "S1001";

    public static DateTimeOffset At(string date) =>
        DateTimeOffset.Parse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static CompletionEvent Passed(string activity, string date, string? grade = null, decimal? score = null) =>
        Of(activity, date, CompletionOutcome.Passed, grade, score);

    public static CompletionEvent Completed(string activity, string date, string? grade = null, decimal? score = null) =>
        Of(activity, date, CompletionOutcome.Completed, grade, score);

    public static CompletionEvent Failed(string activity, string date, string? grade = null, decimal? score = null) =>
        Of(activity, date, CompletionOutcome.Failed, grade, score);

    public static CompletionEvent Of(string activity, string date, CompletionOutcome outcome, string? grade = null, decimal? score = null) => new()
    {
        Source = "sis:banner",
        LearnerId = Learner,
        ActivityId = activity,
        CompletedAt = At(date),
        Outcome = outcome,
        Grade = grade,
        Score = score,
    };

    public static LearnerProgress Progress(params CompletionEvent[] events) => new(Learner, events);
}
