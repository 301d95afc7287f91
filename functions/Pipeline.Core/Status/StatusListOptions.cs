using System.ComponentModel.DataAnnotations;

namespace Pipeline.Core.Status;

/// <summary>
/// How status lists are published (docs/revocation.md). A revocation reaches verifiers within
/// <see cref="PublishInterval"/> (the host runs <see cref="StatusListPublisher.PublishPendingAsync"/> that often) plus
/// the time a verifier may cache the list, <see cref="Ttl"/>.
/// </summary>
public sealed record StatusListOptions
{
    public const string SectionName = "StatusLists";

    /// <summary>How often the host publishes changed lists; one signature per changed list per run.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PublishInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The list credential's <c>ttl</c>: how long a verifier may cache it (also the HTTP Cache-Control max-age to serve it with).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Ttl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The list credential's <c>validUntil</c> after each signing, or null for none (the default). A list is re-signed
    /// only when its bits change, and verifiers reject an expired list — so every credential in a quiet list would stop
    /// verifying when it expired. Set it only together with a re-publication schedule shorter than it.
    /// </summary>
    public TimeSpan? Validity { get; init; }
}
