using System.Collections.Concurrent;
using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Tests.TestData;

/// <summary>An <see cref="ICredentialLedger"/> in memory, faithful to the port: insert-if-absent, state moves only for known ids.</summary>
internal sealed class InMemoryCredentialLedger : ICredentialLedger
{
    private readonly ConcurrentDictionary<string, CredentialRecord> _records = new(StringComparer.Ordinal);

    public Task<(CredentialRecord Record, bool Added)> TryAddAsync(CredentialRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var added = _records.TryAdd(record.CredentialId, record);
        return Task.FromResult((_records[record.CredentialId], added));
    }

    public Task<CredentialRecord?> GetAsync(string credentialId, CancellationToken cancellationToken) =>
        Task.FromResult(_records.TryGetValue(credentialId, out var record) ? record : null);

    public Task UpdateStateAsync(string credentialId, CredentialState state, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!_records.TryGetValue(credentialId, out var record))
        {
            throw new InvalidOperationException($"Credential {credentialId} is not in the ledger; cannot move it to {state}.");
        }
        var withdrawn = state is CredentialState.Revoked or CredentialState.Suspended;
        _records[credentialId] = record with { State = state, RevocationReason = withdrawn ? reason : null, RevokedAt = withdrawn ? at : null };
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CredentialRecord>> GetByLearnerAsync(string learnerId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CredentialRecord>>([.. _records.Values.Where(r => r.LearnerId == learnerId)]);
}

/// <summary>An <see cref="IClaimLedger"/> in memory: one claim per credential; a sent claim is never replaced.</summary>
internal sealed class InMemoryClaimLedger : IClaimLedger
{
    private readonly ConcurrentDictionary<string, ClaimRecord> _claims = new(StringComparer.Ordinal);

    public Task<ClaimRecord?> GetByCredentialAsync(string credentialId, CancellationToken cancellationToken) =>
        Task.FromResult(_claims.TryGetValue(credentialId, out var claim) ? claim : null);

    public Task<ClaimRecord?> GetByTokenHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        Task.FromResult(_claims.Values.FirstOrDefault(c => c.TokenHash == tokenHash));

    public Task PutPendingAsync(ClaimRecord claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (claim.SentAt is not null)
        {
            throw new ArgumentException($"Claim of {claim.CredentialId}: a pending claim has no SentAt.", nameof(claim));
        }
        _claims.AddOrUpdate(claim.CredentialId, claim, (_, existing) => existing.SentAt is null ? existing with { TokenHash = claim.TokenHash, ExpiresAt = claim.ExpiresAt } : existing);
        return Task.CompletedTask;
    }

    public Task<bool> TryMarkSentAsync(string credentialId, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        if (!_claims.TryGetValue(credentialId, out var claim))
        {
            throw new InvalidOperationException($"Credential {credentialId} has no claim; put a pending claim before marking its email sent.");
        }
        return Task.FromResult(claim.SentAt is null && _claims.TryUpdate(credentialId, claim with { SentAt = sentAt }, claim));
    }
}

/// <summary>An <see cref="IProgressLedger"/> in memory: latest learner profile wins; earned awards insert-if-absent per achievement.</summary>
internal sealed class InMemoryProgressLedger : IProgressLedger
{
    private readonly ConcurrentDictionary<string, LearnerProfile> _learners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Learner, string Achievement), EarnedRecord> _earned = new();

    public Task UpsertLearnerAsync(LearnerProfile learner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(learner);
        _learners[learner.LearnerId] = learner;
        return Task.CompletedTask;
    }

    public Task<LearnerProfile?> GetLearnerAsync(string learnerId, CancellationToken cancellationToken) =>
        Task.FromResult(_learners.TryGetValue(learnerId, out var learner) ? learner : null);

    public Task<bool> TryAddEarnedAsync(EarnedRecord earned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(earned);
        return Task.FromResult(_earned.TryAdd((earned.LearnerId, earned.AchievementId), earned));
    }

    public Task<IReadOnlyList<EarnedRecord>> GetEarnedAsync(string learnerId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EarnedRecord>>([.. _earned.Values.Where(e => e.LearnerId == learnerId).OrderBy(e => e.AwardedAt)]);
}
