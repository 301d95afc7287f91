using Pipeline.Core.Pathways;

namespace Pipeline.Core.Contracts;

/// <summary>
/// On <c>completions</c>: one completion fact and who the learner is. Put here by SIS ingest, webhooks, or any
/// system directly (schema: docs/schemas/record-completion.v1.schema.json, docs/integrations.md §5). <see cref="CorrelationId"/> follows the fact to the email.
/// </summary>
public sealed record RecordCompletion
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string CorrelationId { get; init; }
    public required CompletionEvent Completion { get; init; }
    public required LearnerProfile Learner { get; init; }
}

/// <summary>On <c>issuance</c>: a learner has earned an achievement; issue its credential (once).</summary>
public sealed record IssueCredential
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string CorrelationId { get; init; }
    public required string CredentialId { get; init; }
    public required string AchievementId { get; init; }
    public required string LearnerId { get; init; }
    public required DateTimeOffset AwardedAt { get; init; }
    public IReadOnlyList<string> EvidenceEventIds { get; init; } = [];
}

/// <summary>
/// On <c>emails</c>: send the learner the claim email of an issued credential. Without <see cref="Resend"/> it is the
/// automatic email, sent once ever; with it, the learner asked for a new link ("send me a new link"): the
/// <see cref="Resend"/>-th resend of this credential, sent once per number, extending the link's expiry.
/// </summary>
public sealed record SendClaimEmail
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string CorrelationId { get; init; }
    public required string CredentialId { get; init; }
    /// <summary>Null for the automatic email; n ≥ 1 for the n-th resend the learner asked for (audit entry <c>claim-resent:{id}:{n}</c>).</summary>
    public int? Resend { get; init; }
}

/// <summary>
/// On <c>claim-resends</c>: someone asked <c>POST /claim</c> for a new claim link for this address ("send me a new
/// link"). The request path only queues this, the same for every address, so its timing tells no one who holds a
/// badge; the handler finds the address's learners and queues a <see cref="SendClaimEmail"/> resend for each of their
/// Issued credentials (none when the address is unknown).
/// </summary>
public sealed record ResendClaimLinks
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string CorrelationId { get; init; }
    /// <summary>The address as asked for, trimmed and lower-cased (<c>RecipientIdentity.NormalizeEmail</c>).</summary>
    public required string Email { get; init; }
}

/// <summary>An integration event for other systems; <see cref="EventId"/> is derived, so duplicates are detectable.</summary>
public abstract record IntegrationEvent
{
    public int SchemaVersion { get; init; } = 1;
    public required string EventId { get; init; }
    public required string CorrelationId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public abstract string EventType { get; }
}

public sealed record CredentialIssued : IntegrationEvent
{
    public required string CredentialId { get; init; }
    public required string IssuerId { get; init; }
    public required string AchievementId { get; init; }
    public required string LearnerId { get; init; }
    public required Uri VerificationUrl { get; init; }
    public override string EventType => "CredentialIssued";
}

public sealed record CredentialRevoked : IntegrationEvent
{
    public required string CredentialId { get; init; }
    public required string Reason { get; init; }
    public required string Actor { get; init; }
    public override string EventType => "CredentialRevoked";
}
