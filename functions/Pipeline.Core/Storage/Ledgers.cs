using Pipeline.Core.Pathways;

namespace Pipeline.Core.Storage;

/// <summary>
/// The completion-event ledger. <see cref="TryAddAsync"/> is insert-if-absent on the event's content-derived id:
/// it is the idempotency guard of the Evaluate stage, not a read-then-write.
/// </summary>
public interface IEventLedger
{
    /// <summary>True when the event was new; false when an event with the same id was already recorded.</summary>
    Task<bool> TryAddAsync(CompletionEvent completion, CancellationToken cancellationToken);

    /// <summary>Every recorded event of a learner (the facts the pathway rules are evaluated over).</summary>
    Task<IReadOnlyList<CompletionEvent>> GetByLearnerAsync(string learnerId, CancellationToken cancellationToken);
}

/// <summary>An achievement a learner has earned, as decided by the Evaluate stage.</summary>
public sealed record EarnedRecord
{
    public required string LearnerId { get; init; }
    public required string AchievementId { get; init; }
    public required DateTimeOffset AwardedAt { get; init; }
    /// <summary>The deterministic id of the credential this award is issued as.</summary>
    public required string CredentialId { get; init; }
    public IReadOnlyList<string> EvidenceEventIds { get; init; } = [];
}

/// <summary>Learners' progress: their profile (latest seen) and what they have earned.</summary>
public interface IProgressLedger
{
    /// <summary>Stores or refreshes the learner's email and name (the latest completion that carried them wins).</summary>
    Task UpsertLearnerAsync(LearnerProfile learner, CancellationToken cancellationToken);

    Task<LearnerProfile?> GetLearnerAsync(string learnerId, CancellationToken cancellationToken);

    /// <summary>Insert-if-absent on (learner, achievement): true when the award is new.</summary>
    Task<bool> TryAddEarnedAsync(EarnedRecord earned, CancellationToken cancellationToken);

    Task<IReadOnlyList<EarnedRecord>> GetEarnedAsync(string learnerId, CancellationToken cancellationToken);

    /// <summary>
    /// Every learner whose email, normalised by <see cref="Credentials.RecipientIdentity.NormalizeEmail"/> (trimmed, lower-cased), equals <paramref name="normalisedEmail"/>
    /// (the "send me a new claim link" form); a learner whose email has changed since is not found by the old one.
    /// </summary>
    Task<IReadOnlyList<LearnerProfile>> FindLearnersByEmailAsync(string normalisedEmail, CancellationToken cancellationToken);
}

/// <summary>Where a credential is in its life.</summary>
public enum CredentialState
{
    /// <summary>Its id and status slot are claimed; files may not be written yet (a crash here is resumed).</summary>
    Pending,
    Issued,
    Revoked,
    Suspended,
}

/// <summary>The credential ledger row: claimed before the files are written, so a retry reuses its slot and times.</summary>
public sealed record CredentialRecord
{
    public required string CredentialId { get; init; }
    public required string IssuerId { get; init; }
    public required string AchievementId { get; init; }
    public required string LearnerId { get; init; }
    public required DateTimeOffset AwardedAt { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required string StatusListId { get; init; }
    public required int StatusListIndex { get; init; }
    /// <summary>The salt of the recipient's hashed email, so the OB 2.0 assertion and any re-issue hash the same way.</summary>
    public required string RecipientSalt { get; init; }
    public CredentialState State { get; init; } = CredentialState.Pending;
    public string? RevocationReason { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
}

public interface ICredentialLedger
{
    /// <summary>Insert-if-absent on the credential id. Returns the row that is in the ledger afterwards and whether it was ours.</summary>
    Task<(CredentialRecord Record, bool Added)> TryAddAsync(CredentialRecord record, CancellationToken cancellationToken);

    Task<CredentialRecord?> GetAsync(string credentialId, CancellationToken cancellationToken);

    /// <summary>Moves a credential to a new state (Issued after its files are written; Revoked/Suspended by an admin).</summary>
    Task UpdateStateAsync(string credentialId, CredentialState state, string? reason, DateTimeOffset at, CancellationToken cancellationToken);

    Task<IReadOnlyList<CredentialRecord>> GetByLearnerAsync(string learnerId, CancellationToken cancellationToken);
}

/// <summary>A claim link: only the SHA-256 of its token is stored.</summary>
public sealed record ClaimRecord
{
    public required string CredentialId { get; init; }
    public required string TokenHash { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    /// <summary>When the email went out; null while it has not.</summary>
    public DateTimeOffset? SentAt { get; init; }
}

public interface IClaimLedger
{
    Task<ClaimRecord?> GetByCredentialAsync(string credentialId, CancellationToken cancellationToken);

    Task<ClaimRecord?> GetByTokenHashAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the claim of a credential whose email has not been sent (a new token after a crash).</summary>
    Task PutPendingAsync(ClaimRecord claim, CancellationToken cancellationToken);

    /// <summary>Records the email as sent. False when it was already recorded as sent (someone else sent it).</summary>
    Task<bool> TryMarkSentAsync(string credentialId, DateTimeOffset sentAt, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the expiry of a sent claim to <paramref name="expiresAt"/> (a learner asked for a new link; the derived token,
    /// and so its hash, stays the same). False when the credential has no claim whose email was sent.
    /// </summary>
    Task<bool> TryRenewAsync(string credentialId, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}

/// <summary>One append-only audit entry: who did what to which credential, when and why.</summary>
public sealed record AuditEntry
{
    /// <summary>Deterministic (e.g. <c>issued:{credentialId}</c>), so a retried stage writes it once.</summary>
    public required string EntryId { get; init; }
    public required string CredentialId { get; init; }
    public required string Action { get; init; }
    public required string Actor { get; init; }
    public required DateTimeOffset At { get; init; }
    public string? Reason { get; init; }
}

public interface IAuditLog
{
    /// <summary>Insert-if-absent on <see cref="AuditEntry.EntryId"/>.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> GetByCredentialAsync(string credentialId, CancellationToken cancellationToken);
}
