using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;

namespace Pipeline.Core.Credentials;

/// <summary>Everything one OB 3.0 credential is built from. Pure data: the builder reads no clock and no randomness.</summary>
public sealed record OpenBadgeCredentialRequest
{
    public required Issuer Issuer { get; init; }
    public required Achievement Achievement { get; init; }
    public required LearnerProfile Learner { get; init; }
    /// <summary><c>credentialSubject.id</c> and the JWT <c>sub</c>: see <see cref="RecipientIdentity.SubjectId"/>.</summary>
    public required string SubjectId { get; init; }
    /// <summary>Salt of the hashed email (<see cref="RecipientIdentity.CreateSalt"/>); kept with the credential so re-issues hash alike.</summary>
    public required string RecipientSalt { get; init; }
    /// <summary>When the learner earned it: <c>awardedDate</c>, and the start of the expiry period.</summary>
    public required DateTimeOffset AwardedAt { get; init; }
    /// <summary>When this version of the credential was issued: <c>validFrom</c> / <c>nbf</c> (later on a re-issue).</summary>
    public required DateTimeOffset ValidFrom { get; init; }
    /// <summary>The period a repeatable award belongs to (e.g. <c>2026</c> for a yearly renewal); null for one-time achievements.</summary>
    public string? AwardPeriod { get; init; }
    public IReadOnlyList<CredentialResult> Results { get; init; } = [];
    /// <summary>Award-specific evidence (e.g. the activities completed), after the achievement's own evidence.</summary>
    public IReadOnlyList<CredentialEvidence> Evidence { get; init; } = [];
    public decimal? CreditsEarned { get; init; }
    public required StatusListEntry Status { get; init; }
    /// <summary>Public URL of the achievement's image (the credential's <c>image</c> and the achievement's).</summary>
    public required Uri AchievementImage { get; init; }
    /// <summary>Public URL of the issuer's logo, if any.</summary>
    public Uri? IssuerImage { get; init; }

    public CredentialId Id => CredentialId.Compute(Issuer.Id, Achievement.Id, Learner.LearnerId, AwardPeriod);
}

/// <summary>An OB 3.0 Result without a ResultDescription: the grade or score as text (e.g. <c>"A-"</c>, <c>"92"</c>).</summary>
public sealed record CredentialResult(string Value);

/// <summary>An OB 3.0 Evidence item; at least one member should be set.</summary>
public sealed record CredentialEvidence
{
    public Uri? Id { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? Narrative { get; init; }
}
