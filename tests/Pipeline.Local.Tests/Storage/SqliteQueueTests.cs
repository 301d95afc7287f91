using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Contracts.Tests.Contracts;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;
using Pipeline.Local.Storage;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Storage;

public sealed class SqliteQueueTests : MessageSenderContract, IDisposable
{
    private static readonly TimeSpan Visibility = TimeSpan.FromMinutes(5);

    private readonly TestDatabase _database = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 14, 12, 0, 0, TimeSpan.Zero));
    private SqliteQueue? _sut;

    public void Dispose() => _database.Dispose();

    protected override async Task<IMessageSender> CreateSutAsync() => await CreateQueueAsync();

    protected override async Task<IReadOnlyList<string>> DrainAsync(string queue)
    {
        var bodies = new List<string>();
        while (await _sut!.ReceiveAsync(queue, SqliteQueue.MaxMessagesPerReceive, Visibility, CancellationToken.None) is { Count: > 0 } batch)
        {
            foreach (var message in batch)
            {
                Assert.True(await _sut.DeleteAsync(queue, message.MessageId, message.PopReceipt, CancellationToken.None));
                bodies.Add(message.Body);
            }
        }
        return bodies;
    }

    private async Task<SqliteQueue> CreateQueueAsync() => _sut = new SqliteQueue(await _database.OpenAsync(), _clock);

    private static async Task<ReceivedMessage> ReceiveOneAsync(SqliteQueue sut, string queue = Queues.Completions) =>
        Assert.Single(await sut.ReceiveAsync(queue, 1, Visibility, CancellationToken.None));

    [Fact]
    public async Task Receive_returns_the_message_with_its_metadata_and_Delete_removes_it()
    {
        var sut = await CreateQueueAsync();
        await sut.SendAsync(new OutgoingMessage(Queues.Completions, "{\"a\":1}"), CancellationToken.None);

        var message = await ReceiveOneAsync(sut);

        Assert.Equal("{\"a\":1}", message.Body);
        Assert.Equal(Queues.Completions, message.Queue);
        Assert.Equal(1, message.DequeueCount);
        Assert.Equal(_clock.GetUtcNow(), message.InsertedAt);
        Assert.Equal(_clock.GetUtcNow() + Visibility, message.NextVisibleAt);
        Assert.True(await sut.DeleteAsync(Queues.Completions, message.MessageId, message.PopReceipt, CancellationToken.None));
        Assert.Equal(0, await sut.CountAsync(Queues.Completions, CancellationToken.None));
    }

    [Fact]
    public async Task A_message_sent_with_a_visibility_delay_stays_hidden_until_the_delay_passes()
    {
        var sut = await CreateQueueAsync();
        await sut.SendAsync(new OutgoingMessage(Queues.Emails, "later") { VisibilityDelay = TimeSpan.FromSeconds(90) }, CancellationToken.None);

        _clock.Advance(TimeSpan.FromSeconds(90) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await sut.ReceiveAsync(Queues.Emails, 1, Visibility, CancellationToken.None));
        Assert.Equal(1, await sut.CountAsync(Queues.Emails, CancellationToken.None));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var message = Assert.Single(await sut.ReceiveAsync(Queues.Emails, 1, Visibility, CancellationToken.None));
        Assert.Equal(("later", 1), (message.Body, message.DequeueCount));
    }

    [Fact]
    public async Task A_received_message_is_hidden_until_its_visibility_timeout_then_redelivered()
    {
        var sut = await CreateQueueAsync();
        await sut.SendAsync(new OutgoingMessage(Queues.Completions, "x"), CancellationToken.None);
        var first = await ReceiveOneAsync(sut);

        _clock.Advance(Visibility - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await sut.ReceiveAsync(Queues.Completions, 1, Visibility, CancellationToken.None));
        Assert.Equal(1, await sut.CountAsync(Queues.Completions, CancellationToken.None));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = await ReceiveOneAsync(sut);

        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
        Assert.NotEqual(first.PopReceipt, second.PopReceipt);
    }

    [Fact]
    public async Task Delete_with_a_stale_pop_receipt_fails_and_the_new_holder_can_delete()
    {
        var sut = await CreateQueueAsync();
        await sut.SendAsync(new OutgoingMessage(Queues.Completions, "x"), CancellationToken.None);
        var first = await ReceiveOneAsync(sut);
        _clock.Advance(Visibility);
        var second = await ReceiveOneAsync(sut);

        Assert.False(await sut.DeleteAsync(Queues.Completions, first.MessageId, first.PopReceipt, CancellationToken.None));
        Assert.Null(await sut.UpdateVisibilityAsync(Queues.Completions, first.MessageId, first.PopReceipt, TimeSpan.Zero, CancellationToken.None));
        Assert.False(await sut.MoveToPoisonAsync(first, "stale", CancellationToken.None));
        Assert.True(await sut.DeleteAsync(Queues.Completions, second.MessageId, second.PopReceipt, CancellationToken.None));
    }

    [Fact]
    public async Task UpdateVisibility_zero_abandons_the_message_at_once_with_a_new_receipt()
    {
        var sut = await CreateQueueAsync();
        await sut.SendAsync(new OutgoingMessage(Queues.Completions, "x"), CancellationToken.None);
        var first = await ReceiveOneAsync(sut);

        var receipt = await sut.UpdateVisibilityAsync(Queues.Completions, first.MessageId, first.PopReceipt, TimeSpan.Zero, CancellationToken.None);

        Assert.NotNull(receipt);
        Assert.False(await sut.DeleteAsync(Queues.Completions, first.MessageId, first.PopReceipt, CancellationToken.None));
        Assert.Equal(2, (await ReceiveOneAsync(sut)).DequeueCount);
    }

    [Fact]
    public async Task UpdateVisibility_with_a_delay_hides_the_message_for_that_long()
    {
        var sut = await CreateQueueAsync();
        await sut.SendAsync(new OutgoingMessage(Queues.Completions, "x"), CancellationToken.None);
        var first = await ReceiveOneAsync(sut);

        await sut.UpdateVisibilityAsync(Queues.Completions, first.MessageId, first.PopReceipt, TimeSpan.FromSeconds(30), CancellationToken.None);

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await sut.ReceiveAsync(Queues.Completions, 1, Visibility, CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(await sut.ReceiveAsync(Queues.Completions, 1, Visibility, CancellationToken.None));
    }

    [Fact]
    public async Task MoveToPoison_keeps_body_and_dequeue_count_and_records_the_reason()
    {
        var sut = await CreateQueueAsync();
        await sut.SendAsync(new OutgoingMessage(Queues.Issuance, "{\"bad\":true}"), CancellationToken.None);
        await ReceiveOneAsync(sut, Queues.Issuance);
        _clock.Advance(Visibility);
        var second = await ReceiveOneAsync(sut, Queues.Issuance);

        Assert.True(await sut.MoveToPoisonAsync(second, "System.FormatException: bad json", CancellationToken.None));

        Assert.Equal(0, await sut.CountAsync(Queues.Issuance, CancellationToken.None));
        var poisoned = Assert.Single(await sut.PeekAsync("issuance-poison", 32, CancellationToken.None));
        Assert.Equal(second.MessageId, poisoned.MessageId);
        Assert.Equal("{\"bad\":true}", poisoned.Body);
        Assert.Equal(2, poisoned.DequeueCount);
        Assert.Equal("System.FormatException: bad json", poisoned.PoisonReason);
    }

    [Fact]
    public async Task ReplayPoison_moves_every_poison_message_back_with_dequeue_count_reset()
    {
        var sut = await CreateQueueAsync();
        await sut.SendBatchAsync([new(Queues.Emails, "1"), new(Queues.Emails, "2")], CancellationToken.None);
        foreach (var message in await sut.ReceiveAsync(Queues.Emails, 2, Visibility, CancellationToken.None))
        {
            await sut.MoveToPoisonAsync(message, "smtp down", CancellationToken.None);
        }

        var replayed = await sut.ReplayPoisonAsync(Queues.Emails, CancellationToken.None);

        Assert.Equal(2, replayed);
        Assert.Equal(0, await sut.CountAsync("emails-poison", CancellationToken.None));
        var peeked = await sut.PeekAsync(Queues.Emails, 32, CancellationToken.None);
        Assert.Equal(["1", "2"], peeked.Select(m => m.Body));
        Assert.All(peeked, m => Assert.Equal(0, m.DequeueCount));
        Assert.All(peeked, m => Assert.Null(m.PoisonReason));
        Assert.Equal(0, await sut.ReplayPoisonAsync(Queues.Emails, CancellationToken.None));
    }

    [Theory]
    [InlineData(4, 5, false)]
    [InlineData(5, 5, true)]
    [InlineData(6, 5, true)]
    public void IsLastAttempt_when_the_dequeue_count_reaches_the_maximum(int dequeueCount, int max, bool expected)
    {
        var message = new ReceivedMessage("id", Queues.Completions, "receipt", dequeueCount, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "{}");

        Assert.Equal(expected, SqliteQueue.IsLastAttempt(message, max));
    }

    [Fact]
    public async Task Peek_and_Count_do_not_receive()
    {
        var sut = await CreateQueueAsync();
        await sut.SendBatchAsync([new(Queues.Completions, "1"), new(Queues.Completions, "2"), new(Queues.Completions, "3")], CancellationToken.None);
        await ReceiveOneAsync(sut);

        var peeked = await sut.PeekAsync(Queues.Completions, 32, CancellationToken.None);

        Assert.Equal(["2", "3"], peeked.Select(m => m.Body));
        Assert.Equal(3, await sut.CountAsync(Queues.Completions, CancellationToken.None));
        Assert.Equal(2, (await sut.ReceiveAsync(Queues.Completions, 32, Visibility, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Messages_survive_reopening_the_database()
    {
        await (await CreateQueueAsync()).SendAsync(new OutgoingMessage(Queues.Completions, "durable"), CancellationToken.None);

        var reopened = await CreateQueueAsync();

        Assert.Equal("durable", (await ReceiveOneAsync(reopened)).Body);
    }

    [Fact]
    public async Task SendBatch_with_one_invalid_queue_sends_nothing()
    {
        var sut = await CreateQueueAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            sut.SendBatchAsync([new(Queues.Completions, "1"), new("NO", "2")], CancellationToken.None));

        Assert.Equal(0, await sut.CountAsync(Queues.Completions, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_receivers_never_get_the_same_message_at_once()
    {
        var sut = await CreateQueueAsync();
        await sut.SendBatchAsync(Enumerable.Range(0, 300).Select(i => new OutgoingMessage(Queues.Completions, i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList(), CancellationToken.None);
        var received = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var receiver = new SqliteQueue(await _database.OpenAsync(), _clock);
            while (await receiver.ReceiveAsync(Queues.Completions, 7, Visibility, CancellationToken.None) is { Count: > 0 } batch)
            {
                foreach (var message in batch)
                {
                    received.Add(message.MessageId);
                }
            }
        })));

        Assert.Equal(300, received.Count);
        Assert.Equal(300, received.Distinct().Count());
    }
}
