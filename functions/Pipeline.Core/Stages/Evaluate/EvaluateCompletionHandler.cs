using Microsoft.Extensions.Logging;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Credentials;
using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Stages.Evaluate;

/// <summary>What the Evaluate stage did with one completion.</summary>
public sealed record EvaluateOutcome(bool NewEvent, IReadOnlyList<string> NewlyEarned, IReadOnlyList<string> IssueRequested);

/// <summary>
/// The Evaluate stage (queue <c>completions</c>): records the event if absent, evaluates the learner's pathways to a
/// fixpoint, records each newly earned achievement, and asks for every earned credential not yet issued. Running it
/// again with the same message repairs a crash between "recorded" and "emitted" (docs/architecture.md).
/// </summary>
public sealed class EvaluateCompletionHandler(
    PipelineCatalog catalog,
    PathwayEvaluator evaluator,
    IEventLedger events,
    IProgressLedger progress,
    ICredentialLedger credentials,
    ILogger<EvaluateCompletionHandler> logger)
{
    public async Task<StageResult<EvaluateOutcome>> HandleAsync(RecordCompletion message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var completion = Normalise(message.Completion);
        var learnerId = completion.LearnerId;

        await progress.UpsertLearnerAsync(message.Learner with { LearnerId = learnerId, Email = message.Learner.Email.Trim() }, cancellationToken);
        var isNew = await events.TryAddAsync(completion, cancellationToken);
        if (!isNew)
        {
            Log.DuplicateEvent(logger, completion.Id, message.CorrelationId);
        }

        var facts = await events.GetByLearnerAsync(learnerId, cancellationToken);
        var earned = await progress.GetEarnedAsync(learnerId, cancellationToken);
        var newlyEarned = evaluator.Evaluate(new LearnerProgress(
            learnerId, facts, [.. earned.Select(e => new PriorAward(e.AchievementId, e.AwardedAt))]));

        var recorded = new List<string>();
        var recordedRecords = new List<EarnedRecord>();
        foreach (var award in newlyEarned)
        {
            var achievement = catalog.Achievements[award.AchievementId];
            var record = new EarnedRecord
            {
                LearnerId = learnerId,
                AchievementId = award.AchievementId,
                AwardedAt = award.AwardedAt,
                CredentialId = CredentialId.Compute(achievement.IssuerId, achievement.Id, learnerId, awardPeriod: null).Value,
                EvidenceEventIds = award.EventIds,
            };
            if (await progress.TryAddEarnedAsync(record, cancellationToken))
            {
                recorded.Add(award.AchievementId);
                recordedRecords.Add(record);
                Log.Earned(logger, learnerId, award.AchievementId, message.CorrelationId);
            }
        }

        // A first delivery asks only for what it recorded itself: whoever recorded an earlier award asked for it (or
        // crashed, and its redelivery repairs below). A redelivery or duplicate (the event was already there) asks for
        // every earned credential not yet issued. Without this, each of a learner's ~5 completions re-asked for all
        // their earned credentials while the first request was still in the issuance queue (3 issuance messages and
        // 2.6 claim-email messages per credential in the bench).
        IReadOnlyList<EarnedRecord> candidates = isNew
            ? recordedRecords
            : recorded.Count == 0 ? earned : await progress.GetEarnedAsync(learnerId, cancellationToken);
        var issued = candidates.Count == 0
            ? []
            : (await credentials.GetByLearnerAsync(learnerId, cancellationToken))
                .Where(c => c.State != CredentialState.Pending)
                .Select(c => c.CredentialId)
                .ToHashSet(StringComparer.Ordinal);
        var toIssue = candidates.Where(e => !issued.Contains(e.CredentialId) && catalog.Achievements.ContainsKey(e.AchievementId)).ToList();

        var emitted = toIssue.Select(e => StageMessages.ToIssuance(new IssueCredential
        {
            CorrelationId = message.CorrelationId,
            CredentialId = e.CredentialId,
            AchievementId = e.AchievementId,
            LearnerId = learnerId,
            AwardedAt = e.AwardedAt,
            EvidenceEventIds = e.EvidenceEventIds,
        })).ToList();

        return StageResult.Of(
            new EvaluateOutcome(isNew, recorded, [.. toIssue.Select(e => e.AchievementId)]), emitted);
    }

    /// <summary>Ids are compared trimmed everywhere (the event id's canonical form trims too).</summary>
    private static CompletionEvent Normalise(CompletionEvent completion) => completion with
    {
        Source = completion.Source.Trim(),
        LearnerId = completion.LearnerId.Trim(),
        ActivityId = completion.ActivityId.Trim(),
        Grade = completion.Grade?.Trim(),
    };
}
