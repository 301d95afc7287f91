using Pipeline.Contracts.Tests.TestData;
using Pipeline.Core.Catalog;
using Pipeline.Core.Storage;

namespace Pipeline.Contracts.Tests.Contracts;

/// <summary>What every <see cref="IEventLedger"/> adapter must do.</summary>
public abstract class EventLedgerContract
{
    protected abstract Task<IEventLedger> CreateSutAsync();

    [Fact]
    public async Task TryAdd_new_event_then_same_event_returns_true_then_false()
    {
        var sut = await CreateSutAsync();

        Assert.True(await sut.TryAddAsync(Records.Completion(), CancellationToken.None));
        Assert.False(await sut.TryAddAsync(Records.Completion(), CancellationToken.None));
    }

    [Fact]
    public async Task TryAdd_same_fact_in_another_time_zone_is_a_duplicate()
    {
        var sut = await CreateSutAsync();
        var original = Records.Completion();
        await sut.TryAddAsync(original, CancellationToken.None);

        var added = await sut.TryAddAsync(original with { CompletedAt = original.CompletedAt.ToUniversalTime() }, CancellationToken.None);

        Assert.False(added);
        Assert.Single(await sut.GetByLearnerAsync(original.LearnerId, CancellationToken.None));
    }

    [Fact]
    public async Task GetByLearner_returns_that_learners_events_with_every_field()
    {
        var sut = await CreateSutAsync();
        var first = Records.Completion(activityId: "CS101");
        var second = Records.Completion(activityId: "CS102") with { Grade = null, Score = null, Outcome = Pipeline.Core.Catalog.CompletionOutcome.Completed };
        await sut.TryAddAsync(first, CancellationToken.None);
        await sut.TryAddAsync(second, CancellationToken.None);
        await sut.TryAddAsync(Records.Completion(learnerId: "S2002"), CancellationToken.None);

        var events = await sut.GetByLearnerAsync("S1001", CancellationToken.None);

        Assert.Equal([first, second], events.OrderBy(e => e.ActivityId, StringComparer.Ordinal));
        Assert.All(events, e => Assert.Equal("S1001", e.LearnerId));
    }

    [Fact]
    public async Task GetByLearner_unknown_learner_returns_empty()
    {
        var sut = await CreateSutAsync();

        Assert.Empty(await sut.GetByLearnerAsync("nobody", CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_adds_of_one_event_admit_exactly_one()
    {
        var sut = await CreateSutAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => sut.TryAddAsync(Records.Completion(), CancellationToken.None))));

        Assert.Equal(1, results.Count(added => added));
    }
}
