using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;

namespace Pipeline.Core.Stages.Webhooks;

/// <summary>One item of a delivery as the partner stated it, before its ids are mapped onto ours.</summary>
internal abstract record PayloadItem
{
    /// <summary>A completion in the partner's ids.</summary>
    public sealed record Completion(
        string LearnerId,
        string? Email,
        string? GivenName,
        string? FamilyName,
        string ActivityId,
        DateTimeOffset CompletedAt,
        CompletionOutcome Outcome,
        string? Grade,
        decimal? Score) : PayloadItem;

    /// <summary>An item that is well-formed but is not a completion we can read (an unsupported Caliper event).</summary>
    public sealed record NotACompletion(string Reason) : PayloadItem;
}
