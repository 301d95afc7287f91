using Pipeline.Contracts.Tests.TestData;
using Pipeline.Core.Credentials;
using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;

namespace Pipeline.Contracts.Tests.Contracts;

/// <summary>What every <see cref="IProgressLedger"/> adapter must do.</summary>
public abstract class ProgressLedgerContract
{
    protected abstract Task<IProgressLedger> CreateSutAsync();

    private static EarnedRecord Earned(string credentialId = "cred-1") => new()
    {
        LearnerId = "S1001",
        AchievementId = "robotics-1",
        AwardedAt = Records.Time,
        CredentialId = credentialId,
        EvidenceEventIds = ["ce1-aa", "ce1-bb"],
    };

    [Fact]
    public async Task UpsertLearner_latest_profile_wins()
    {
        var sut = await CreateSutAsync();
        var learner = new LearnerProfile { LearnerId = "S1001", Email = "ada@example.edu", GivenName = "Ada", FamilyName = "Lovelace" };
        await sut.UpsertLearnerAsync(learner, CancellationToken.None);
        var updated = learner with { Email = "ada.l@example.edu", FamilyName = null };

        await sut.UpsertLearnerAsync(updated, CancellationToken.None);

        Assert.Equal(updated, await sut.GetLearnerAsync("S1001", CancellationToken.None));
    }

    [Fact]
    public async Task GetLearner_unknown_returns_null()
    {
        var sut = await CreateSutAsync();

        Assert.Null(await sut.GetLearnerAsync("nobody", CancellationToken.None));
    }

    [Fact]
    public async Task TryAddEarned_second_award_of_same_achievement_is_refused_and_first_kept()
    {
        var sut = await CreateSutAsync();

        Assert.True(await sut.TryAddEarnedAsync(Earned("cred-1"), CancellationToken.None));
        Assert.False(await sut.TryAddEarnedAsync(Earned("cred-2"), CancellationToken.None));

        var earned = Assert.Single(await sut.GetEarnedAsync("S1001", CancellationToken.None));
        Assert.Equal("cred-1", earned.CredentialId);
        Assert.Equal(["ce1-aa", "ce1-bb"], earned.EvidenceEventIds);
        Assert.Equal(Records.Time, earned.AwardedAt);
    }

    [Fact]
    public async Task GetEarned_returns_only_that_learners_awards()
    {
        var sut = await CreateSutAsync();
        await sut.TryAddEarnedAsync(Earned(), CancellationToken.None);
        await sut.TryAddEarnedAsync(Earned() with { AchievementId = "robotics-2", CredentialId = "cred-2" }, CancellationToken.None);
        await sut.TryAddEarnedAsync(Earned() with { LearnerId = "S2002", CredentialId = "cred-3" }, CancellationToken.None);

        var earned = await sut.GetEarnedAsync("S1001", CancellationToken.None);

        Assert.Equal(["robotics-1", "robotics-2"], earned.Select(e => e.AchievementId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindLearnersByEmail_matches_trimmed_lower_cased_email_of_every_learner_that_has_it()
    {
        var sut = await CreateSutAsync();
        await sut.UpsertLearnerAsync(new LearnerProfile { LearnerId = "S1002", Email = " Ada@Example.EDU " }, CancellationToken.None);
        await sut.UpsertLearnerAsync(new LearnerProfile { LearnerId = "S1001", Email = "ada@example.edu", GivenName = "Ada" }, CancellationToken.None);
        await sut.UpsertLearnerAsync(new LearnerProfile { LearnerId = "S1003", Email = "grace@example.edu" }, CancellationToken.None);

        var found = await sut.FindLearnersByEmailAsync(RecipientIdentity.NormalizeEmail("ADA@example.edu"), CancellationToken.None);

        Assert.Equal(["S1001", "S1002"], found.Select(l => l.LearnerId));
        Assert.Equal("Ada", found[0].GivenName);
    }

    [Fact]
    public async Task FindLearnersByEmail_does_not_find_a_learner_by_an_email_they_no_longer_have()
    {
        var sut = await CreateSutAsync();
        await sut.UpsertLearnerAsync(new LearnerProfile { LearnerId = "S1001", Email = "ada@example.edu" }, CancellationToken.None);
        await sut.UpsertLearnerAsync(new LearnerProfile { LearnerId = "S1001", Email = "ada.l@example.edu" }, CancellationToken.None);

        Assert.Empty(await sut.FindLearnersByEmailAsync("ada@example.edu", CancellationToken.None));
        Assert.Equal("S1001", Assert.Single(await sut.FindLearnersByEmailAsync("ada.l@example.edu", CancellationToken.None)).LearnerId);
        Assert.Empty(await sut.FindLearnersByEmailAsync("nobody@example.edu", CancellationToken.None));
    }
}
