namespace Pipeline.Core.Catalog;

/// <summary>How an activity ended, as the source reports it.</summary>
public enum CompletionOutcome
{
    /// <summary>Finished, with no pass/fail judgement (e.g. a module viewed to the end).</summary>
    Completed,
    Passed,
    Failed,
}
