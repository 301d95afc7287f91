using System.Collections.Concurrent;
using Pipeline.Core.Contracts;
using Pipeline.Core.Credentials;
using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Tests.TestData;

/// <summary>The credential ledger in memory: insert-if-absent, state changes as the SQLite adapter makes them.</summary>
internal sealed class InMemoryCredentialLedger : ICredentialLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, CredentialRecord> _records = new(StringComparer.Ordinal);

    public Task<(CredentialRecord Record, bool Added)> TryAddAsync(CredentialRecord record, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var added = _records.TryAdd(record.CredentialId, record);
            return Task.FromResult((_records[record.CredentialId], added));
        }
    }

    public Task<CredentialRecord?> GetAsync(string credentialId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_records.GetValueOrDefault(credentialId));
        }
    }

    public Task UpdateStateAsync(string credentialId, CredentialState state, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var withdrawn = state is CredentialState.Revoked or CredentialState.Suspended;
        lock (_lock)
        {
            var record = _records.GetValueOrDefault(credentialId) ?? throw new InvalidOperationException($"Credential {credentialId} is not in the ledger.");
            _records[credentialId] = record with { State = state, RevocationReason = withdrawn ? reason : null, RevokedAt = withdrawn ? at : null };
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CredentialRecord>> GetByLearnerAsync(string learnerId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<CredentialRecord>>([.. _records.Values.Where(r => r.LearnerId == learnerId)]);
        }
    }
}

/// <summary>The audit log in memory: insert-if-absent on the entry id.</summary>
internal sealed class InMemoryAuditLog : IAuditLog
{
    private readonly Lock _lock = new();
    private readonly List<AuditEntry> _entries = [];

    public IReadOnlyList<AuditEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_entries.Any(e => e.EntryId == entry.EntryId))
            {
                _entries.Add(entry);
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> GetByCredentialAsync(string credentialId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<AuditEntry>>([.. _entries.Where(e => e.CredentialId == credentialId)]);
        }
    }
}

/// <summary>An event publisher that keeps each event once per id, as the topic's duplicate detection and the outbox table do.</summary>
internal sealed class RecordingEventPublisher : IEventPublisher
{
    private readonly Lock _lock = new();
    private readonly List<IntegrationEvent> _events = [];

    public IReadOnlyList<IntegrationEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_events.Any(e => e.EventId == integrationEvent.EventId))
            {
                _events.Add(integrationEvent);
            }
        }
        return Task.CompletedTask;
    }
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

    public Task<bool> TryRenewAsync(string credentialId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        Task.FromResult(_claims.TryGetValue(credentialId, out var claim) && claim.SentAt is not null
            && _claims.TryUpdate(credentialId, claim with { ExpiresAt = expiresAt }, claim));
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

    public Task<IReadOnlyList<LearnerProfile>> FindLearnersByEmailAsync(string normalisedEmail, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LearnerProfile>>([.. _learners.Values.Where(l => RecipientIdentity.NormalizeEmail(l.Email) == normalisedEmail).OrderBy(l => l.LearnerId, StringComparer.Ordinal)]);

    public Task<bool> TryAddEarnedAsync(EarnedRecord earned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(earned);
        return Task.FromResult(_earned.TryAdd((earned.LearnerId, earned.AchievementId), earned));
    }

    public Task<IReadOnlyList<EarnedRecord>> GetEarnedAsync(string learnerId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EarnedRecord>>([.. _earned.Values.Where(e => e.LearnerId == learnerId).OrderBy(e => e.AwardedAt)]);
}
