namespace Pipeline.Core.Contracts;

/// <summary>
/// A message for a queue: its name (see <see cref="Queues"/>) and the JSON body; <see cref="VisibilityDelay"/> keeps
/// it invisible for a while (a throttled stage puts its message back this way instead of waiting or failing).
/// </summary>
public sealed record OutgoingMessage(string Queue, string Body)
{
    public TimeSpan? VisibilityDelay { get; init; }
}

/// <summary>Queue names, the same in both adapter sets; each has a <c>-poison</c> twin.</summary>
public static class Queues
{
    public const string Completions = "completions";
    public const string Issuance = "issuance";
    public const string Emails = "emails";
    /// <summary>"Send me a new link" requests (<c>POST /claim</c>), answered off the request path.</summary>
    public const string ClaimResends = "claim-resends";
    public const string PoisonSuffix = "-poison";

    public static IReadOnlyList<string> All { get; } = [Completions, Issuance, Emails, ClaimResends];
}
