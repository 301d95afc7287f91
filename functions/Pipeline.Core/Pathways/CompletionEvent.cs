using Pipeline.Core.Catalog;

namespace Pipeline.Core.Pathways;

/// <summary>
/// A fact: a learner completed an activity at a time, with an outcome and optionally a grade and a score.
/// Its <see cref="Id"/> is derived from its content (see <see cref="CompletionEventId"/>), so the same fact
/// arriving twice, from any input, is recognised as one.
/// </summary>
public sealed record CompletionEvent
{
    /// <summary>Where the fact came from: <c>sis:{map}</c>, <c>webhook:{partner}</c>, <c>queue</c>, <c>issued</c>.</summary>
    public required string Source { get; init; }
    /// <summary>The learner's stable id in this pipeline (the SIS id, or a partner's id mapped to it).</summary>
    public required string LearnerId { get; init; }
    /// <summary>The activity's id in the catalog (a course, module, assessment, or <c>achievement:{id}</c> for stacking).</summary>
    public required string ActivityId { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
    public required CompletionOutcome Outcome { get; init; }
    /// <summary>A letter or named grade as the source gave it (compared through the catalog's grade scale).</summary>
    public string? Grade { get; init; }
    /// <summary>A numeric score on the activity's own scale (typically 0–100).</summary>
    public decimal? Score { get; init; }

    public string Id => CompletionEventId.Compute(this);
}

/// <summary>Who a learner is, as far as issuing and mailing need: carried beside events, never part of their id.</summary>
public sealed record LearnerProfile
{
    public required string LearnerId { get; init; }
    public required string Email { get; init; }
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }

    public string DisplayName => string.Join(' ', new[] { GivenName, FamilyName }.Where(p => !string.IsNullOrWhiteSpace(p)));
}
