using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;
using static Pipeline.Core.Tests.TestData.StageScenario;

namespace Pipeline.Core.Tests.Stages.Evaluate;

public sealed class EvaluateCompletionHandlerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_new_event_is_recorded_and_each_newly_earned_achievement_stacked_ones_too_is_requested()
    {
        using var scenario = new StageScenario();
        var coursework = Coursework();
        foreach (var completion in coursework[..5])
        {
            await scenario.Evaluate.HandleAsync(Message(completion), None);
        }
        await MarkIssuedAsync(scenario, Robotics);

        var result = await scenario.Evaluate.HandleAsync(Message(coursework[5]), None);

        Assert.True(result.Outcome.NewEvent);
        Assert.Equal([ArtificialIntelligence, MachineLearning], result.Outcome.NewlyEarned.Order(StringComparer.Ordinal));
        Assert.Equal([ArtificialIntelligence, MachineLearning], result.Outcome.IssueRequested.Order(StringComparer.Ordinal));
        Assert.All(result.Emitted, m => Assert.Equal(Queues.Issuance, m.Queue));
        var requests = result.Emitted.Select(m => StageMessages.DecodeIssueCredential(m.Body)).OrderBy(r => r.AchievementId, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [(ArtificialIntelligence, scenario.CredentialIdOf(ArtificialIntelligence)), (MachineLearning, scenario.CredentialIdOf(MachineLearning))],
            requests.Select(r => (r.AchievementId, r.CredentialId)));
        Assert.All(requests, r => Assert.Equal((Learner, "corr-CSC485"), (r.LearnerId, r.CorrelationId)));
        var ml = requests.Single(r => r.AchievementId == MachineLearning);
        Assert.Equal(coursework[3..].Select(c => c.Id).Order(StringComparer.Ordinal), ml.EvidenceEventIds.Order(StringComparer.Ordinal));
        Assert.Equal(coursework[5].CompletedAt, ml.AwardedAt);
        Assert.Equal(6, scenario.Events.Count);
        Assert.Equal(3, (await scenario.Progress.GetEarnedAsync(Learner, None)).Count);
        Assert.Equal(Profile.Email, (await scenario.Progress.GetLearnerAsync(Learner, None))!.Email);
    }

    [Fact]
    public async Task A_duplicate_event_emits_nothing_when_every_earned_credential_is_issued()
    {
        using var scenario = new StageScenario();
        await scenario.EarnAllAsync();
        foreach (var achievement in new[] { Robotics, MachineLearning, ArtificialIntelligence })
        {
            await MarkIssuedAsync(scenario, achievement);
        }

        var result = await scenario.Evaluate.HandleAsync(Message(Coursework()[5]), None);

        Assert.False(result.Outcome.NewEvent);
        Assert.Empty(result.Outcome.NewlyEarned);
        Assert.Empty(result.Outcome.IssueRequested);
        Assert.Empty(result.Emitted);
        Assert.Equal(6, scenario.Events.Count);
    }

    [Fact]
    public async Task A_crash_between_earned_recorded_and_emitted_is_repaired_by_redelivery()
    {
        using var scenario = new StageScenario();
        var coursework = Coursework();
        foreach (var completion in coursework[..5])
        {
            await scenario.Evaluate.HandleAsync(Message(completion), None);
        }
        await MarkIssuedAsync(scenario, Robotics);
        var lost = await scenario.Evaluate.HandleAsync(Message(coursework[5]), None);

        var redelivered = await scenario.Evaluate.HandleAsync(Message(coursework[5]), None);

        Assert.False(redelivered.Outcome.NewEvent);
        Assert.Empty(redelivered.Outcome.NewlyEarned);
        Assert.Equal(lost.Outcome.IssueRequested.Order(StringComparer.Ordinal), redelivered.Outcome.IssueRequested.Order(StringComparer.Ordinal));
        Assert.Equal(lost.Emitted.OrderBy(m => m.Body, StringComparer.Ordinal), redelivered.Emitted.OrderBy(m => m.Body, StringComparer.Ordinal));
        Assert.Equal(2, redelivered.Emitted.Count);
    }

    [Fact]
    public async Task A_pending_credential_claimed_by_a_crashed_issue_is_requested_again()
    {
        using var scenario = new StageScenario();
        await scenario.EarnAllAsync();
        await MarkIssuedAsync(scenario, MachineLearning);
        await MarkIssuedAsync(scenario, ArtificialIntelligence);
        await AddCredentialAsync(scenario, Robotics, CredentialState.Pending);

        var result = await scenario.Evaluate.HandleAsync(Message(Coursework()[0]), None);

        var request = StageMessages.DecodeIssueCredential(Assert.Single(result.Emitted).Body);
        Assert.Equal((Robotics, scenario.CredentialIdOf(Robotics)), (request.AchievementId, request.CredentialId));
    }

    [Theory]
    [InlineData("""{"schemaVersion":1,"correlationId":"c","completion":{"source":"sis:generic","learnerId":"S1","activityId":"AME410","completedAt":"2026-09-01T00:00:00Z","outcome":"passed"},"learner":{"learnerId":"S1","email":" "}}""", "completions message is invalid: /learner/email: The string value is not a match for the indicated regular expression; found \" \" (schema record-completion.v1.schema.json)")]
    [InlineData("""{"schemaVersion":1,"correlationId":"c","completion":{"source":"sis:generic","learnerId":"S1","activityId":"AME410","completedAt":"2026-09-01T00:00:00Z","outcome":"passed"},"learner":{"learnerId":"S2","email":"a@example.edu"}}""", "completions message is invalid: /learner/learnerId: expected the completion's learner \"S1\", found \"S2\"")]
    [InlineData("""{"schemaVersion":1,"correlationId":"c","completion":{"source":"sis:generic","learnerId":"S1","activityId":"","completedAt":"2026-09-01T00:00:00Z","outcome":"passed"},"learner":{"learnerId":"S1","email":"a@example.edu"}}""", "completions message is invalid: /completion/activityId: The string value is not a match for the indicated regular expression; found \"\" (schema record-completion.v1.schema.json)")]
    [InlineData("""{"schemaVersion":1,"correlationId":"c","completion":{"source":"sis:generic","learnerId":"S1","activityId":"AME410","completedAt":"2026-09-01T00:00:00Z","outcome":"passed"},"learner":{"learnerId":"S1","email":"not-an-address"}}""", "completions message is invalid: /learner/email: The string value is not a match for the indicated regular expression; found \"not-an-address\" (schema record-completion.v1.schema.json)")]
    [InlineData("""{"schemaVersion":2,"correlationId":"c","completion":{"source":"sis:generic","learnerId":"S1","activityId":"AME410","completedAt":"2026-09-01T00:00:00Z","outcome":"passed"},"learner":{"learnerId":"S1","email":"a@example.edu"}}""", "RecordCompletion message has schemaVersion 2; this version of the pipeline reads 1.")]
    [InlineData("not json", "RecordCompletion message is not JSON: 'not json' is an invalid JSON literal. Expected the literal 'null'. LineNumber: 0 | BytePositionInLine: 1.")]
    public void DecodeRecordCompletion_invalid_message_throws_InvalidMessageException_saying_where(string body, string expected)
    {
        var exception = Assert.Throws<InvalidMessageException>(() => StageMessages.DecodeRecordCompletion(body));

        Assert.Equal(expected, exception.Message);
    }

    [Fact]
    public void DecodeRecordCompletion_round_trips_what_ingest_sends()
    {
        var message = Message(Coursework()[0]);

        Assert.Equal(message, StageMessages.DecodeRecordCompletion(StageMessages.ToCompletions(message).Body));
    }

    private static Task MarkIssuedAsync(StageScenario scenario, string achievementId) =>
        AddCredentialAsync(scenario, achievementId, CredentialState.Issued);

    private static async Task AddCredentialAsync(StageScenario scenario, string achievementId, CredentialState state)
    {
        await scenario.Credentials.TryAddAsync(new CredentialRecord
        {
            CredentialId = scenario.CredentialIdOf(achievementId),
            IssuerId = scenario.Catalog.Achievements[achievementId].IssuerId,
            AchievementId = achievementId,
            LearnerId = Learner,
            AwardedAt = Now,
            IssuedAt = Now,
            StatusListId = "1",
            StatusListIndex = 7,
            RecipientSalt = CredentialTestData.Salt,
            State = state,
        }, None);
    }
}
