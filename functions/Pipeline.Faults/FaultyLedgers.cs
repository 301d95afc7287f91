using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;

namespace Pipeline.Faults;

/// <summary>The event ledger with injected faults (Azure Table Storage: 500, 503, timeouts after the insert).</summary>
public sealed class FaultyEventLedger(IEventLedger inner, FaultInjector faults) : IEventLedger
{
    private const string Port = nameof(IEventLedger);

    public Task<bool> TryAddAsync(CompletionEvent completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return faults.WriteAsync(Port, nameof(TryAddAsync), completion.Id, () => inner.TryAddAsync(completion, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<CompletionEvent>> GetByLearnerAsync(string learnerId, CancellationToken cancellationToken) =>
        faults.ReadAsync(Port, nameof(GetByLearnerAsync), learnerId, () => inner.GetByLearnerAsync(learnerId, cancellationToken), cancellationToken);
}

/// <summary>The progress ledger with injected faults.</summary>
public sealed class FaultyProgressLedger(IProgressLedger inner, FaultInjector faults) : IProgressLedger
{
    private const string Port = nameof(IProgressLedger);

    public Task UpsertLearnerAsync(LearnerProfile learner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(learner);
        return faults.WriteAsync(Port, nameof(UpsertLearnerAsync), learner.LearnerId, () => inner.UpsertLearnerAsync(learner, cancellationToken), cancellationToken);
    }

    public Task<LearnerProfile?> GetLearnerAsync(string learnerId, CancellationToken cancellationToken) =>
        faults.ReadAsync(Port, nameof(GetLearnerAsync), learnerId, () => inner.GetLearnerAsync(learnerId, cancellationToken), cancellationToken);

    public Task<bool> TryAddEarnedAsync(EarnedRecord earned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(earned);
        return faults.WriteAsync(Port, nameof(TryAddEarnedAsync), earned.CredentialId, () => inner.TryAddEarnedAsync(earned, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<EarnedRecord>> GetEarnedAsync(string learnerId, CancellationToken cancellationToken) =>
        faults.ReadAsync(Port, nameof(GetEarnedAsync), learnerId, () => inner.GetEarnedAsync(learnerId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<LearnerProfile>> FindLearnersByEmailAsync(string normalisedEmail, CancellationToken cancellationToken) =>
        faults.ReadAsync(Port, nameof(FindLearnersByEmailAsync), normalisedEmail, () => inner.FindLearnersByEmailAsync(normalisedEmail, cancellationToken), cancellationToken);
}

/// <summary>The credential ledger with injected faults; a fault after the insert is the case the Issue stage's claim protocol exists for.</summary>
public sealed class FaultyCredentialLedger(ICredentialLedger inner, FaultInjector faults) : ICredentialLedger
{
    private const string Port = nameof(ICredentialLedger);

    public Task<(CredentialRecord Record, bool Added)> TryAddAsync(CredentialRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return faults.WriteAsync(Port, nameof(TryAddAsync), record.CredentialId, () => inner.TryAddAsync(record, cancellationToken), cancellationToken);
    }

    public Task<CredentialRecord?> GetAsync(string credentialId, CancellationToken cancellationToken) =>
        faults.ReadAsync(Port, nameof(GetAsync), credentialId, () => inner.GetAsync(credentialId, cancellationToken), cancellationToken);

    public Task UpdateStateAsync(string credentialId, CredentialState state, string? reason, DateTimeOffset at, CancellationToken cancellationToken) =>
        faults.WriteAsync(Port, nameof(UpdateStateAsync), credentialId, () => inner.UpdateStateAsync(credentialId, state, reason, at, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<CredentialRecord>> GetByLearnerAsync(string learnerId, CancellationToken cancellationToken) =>
        faults.ReadAsync(Port, nameof(GetByLearnerAsync), learnerId, () => inner.GetByLearnerAsync(learnerId, cancellationToken), cancellationToken);
}

/// <summary>The claim ledger with injected faults.</summary>
public sealed class FaultyClaimLedger(IClaimLedger inner, FaultInjector faults) : IClaimLedger
{
    private const string Port = nameof(IClaimLedger);

    public Task<ClaimRecord?> GetByCredentialAsync(string credentialId, CancellationToken cancellationToken) =>
        faults.ReadAsync(Port, nameof(GetByCredentialAsync), credentialId, () => inner.GetByCredentialAsync(credentialId, cancellationToken), cancellationToken);

    public Task<ClaimRecord?> GetByTokenHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        faults.ReadAsync(Port, nameof(GetByTokenHashAsync), tokenHash, () => inner.GetByTokenHashAsync(tokenHash, cancellationToken), cancellationToken);

    public Task PutPendingAsync(ClaimRecord claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return faults.WriteAsync(Port, nameof(PutPendingAsync), claim.CredentialId, () => inner.PutPendingAsync(claim, cancellationToken), cancellationToken);
    }

    public Task<bool> TryMarkSentAsync(string credentialId, DateTimeOffset sentAt, CancellationToken cancellationToken) =>
        faults.WriteAsync(Port, nameof(TryMarkSentAsync), credentialId, () => inner.TryMarkSentAsync(credentialId, sentAt, cancellationToken), cancellationToken);

    public Task<bool> TryRenewAsync(string credentialId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        faults.WriteAsync(Port, nameof(TryRenewAsync), credentialId, () => inner.TryRenewAsync(credentialId, expiresAt, cancellationToken), cancellationToken);
}
