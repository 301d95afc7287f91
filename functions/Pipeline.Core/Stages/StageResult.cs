using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Stages;

/// <summary>What a stage handler decided and the messages it emits; the host sends them after the handler returns.</summary>
public sealed record StageResult<TOutcome>(TOutcome Outcome, IReadOnlyList<OutgoingMessage> Emitted);

public static class StageResult
{
    public static StageResult<TOutcome> Of<TOutcome>(TOutcome outcome, params IReadOnlyList<OutgoingMessage> emitted) => new(outcome, emitted);
}
