using Pipeline.Core.Contracts;
using Pipeline.Faults;
using Pipeline.Core.Storage;
using Pipeline.Local.Storage;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Faults;

public sealed class FaultInjectorTests
{
    private static FaultInjector CreateSut(double rate, int seed) => new(new FaultOptions { Rate = rate, Seed = seed, MaxSlowDelay = TimeSpan.Zero }, TimeProvider.System);

    [Fact]
    public void Decide_same_seed_same_calls_same_faults()
    {
        var first = CreateSut(0.3, 42);
        var second = CreateSut(0.3, 42);

        var a = Enumerable.Range(0, 500).Select(i => first.Decide("IBlobStore", "PutAsync", $"k{i % 50}", writes: true)).ToList();
        var b = Enumerable.Range(0, 500).Select(i => second.Decide("IBlobStore", "PutAsync", $"k{i % 50}", writes: true)).ToList();

        Assert.Equal(a, b);
        Assert.Contains(a, d => d.Kind != FaultKind.None);
    }

    [Fact]
    public void Decide_another_seed_other_faults()
    {
        var a = Enumerable.Range(0, 200).Select(i => CreateSut(0.3, 1).Decide("P", "Op", $"k{i}", writes: true)).ToList();
        var b = Enumerable.Range(0, 200).Select(i => CreateSut(0.3, 2).Decide("P", "Op", $"k{i}", writes: true)).ToList();

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Decide_rate_is_honoured_within_sampling_error()
    {
        var sut = CreateSut(0.1, 5);

        var faulted = Enumerable.Range(0, 20_000).Count(i => sut.Decide("P", "Op", $"k{i}", writes: false).Kind != FaultKind.None);

        Assert.InRange(faulted, 1_700, 2_300);
    }

    [Fact]
    public void Decide_reads_never_fault_after_the_write()
    {
        var sut = CreateSut(1.0, 9);

        Assert.All(Enumerable.Range(0, 300).Select(i => sut.Decide("P", "Get", $"k{i}", writes: false)), d => Assert.False(d.AfterWrite));
    }

    [Fact]
    public async Task A_fault_after_the_write_throws_and_the_write_is_there()
    {
        using var folder = new TempFolder();
        var sut = CreateSut(1.0, 0);
        var key = Enumerable.Range(0, 1000).Select(i => $"b{i}.bin").First(name =>
            CreateSut(1.0, 0).Decide(nameof(IBlobStore), nameof(IBlobStore.PutAsync), $"credentials/{name}", writes: true) is { AfterWrite: true, Kind: not FaultKind.Slow });
        var blobs = new FaultyBlobStore(new FolderBlobStore(folder.Path), sut);

        var thrown = await Record.ExceptionAsync(() => blobs.PutAsync(Containers.Credentials, key, new byte[] { 1, 2, 3 }, "application/octet-stream", CancellationToken.None));

        Assert.NotNull(thrown);
        Assert.Contains("after", thrown.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder.Path, Containers.Credentials, key)));
        Assert.Equal(1, sut.Counts.AfterWrite);
    }

    [Fact]
    public async Task A_throttled_call_carries_its_status_and_retry_after()
    {
        using var folder = new TempFolder();
        var sut = CreateSut(1.0, 3);
        var key = Enumerable.Range(0, 1000).Select(i => $"t{i}").First(name =>
            CreateSut(1.0, 3).Decide(nameof(IBlobStore), nameof(IBlobStore.GetAsync), $"credentials/{name}", writes: false).Kind == FaultKind.Throttled);
        var blobs = new FaultyBlobStore(new FolderBlobStore(folder.Path), sut);

        var thrown = await Assert.ThrowsAsync<ThrottledException>(() => blobs.GetAsync(Containers.Credentials, key, CancellationToken.None));

        Assert.True(thrown.StatusCode is 429 or 503, $"status {thrown.StatusCode}");
        Assert.InRange(thrown.RetryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Duplicated_sends_deliver_the_message_twice()
    {
        var sut = new FaultInjector(new FaultOptions { Rate = 0, DuplicateRate = 1.0, Seed = 1 }, TimeProvider.System);
        var sent = new List<OutgoingMessage>();
        var sender = new FaultyMessageSender(new RecordingSender(sent), sut);

        await sender.SendBatchAsync([new OutgoingMessage(Queues.Emails, "{}")], CancellationToken.None);

        Assert.Equal(2, sent.Count);
        Assert.Equal(1, sut.Counts.Duplicates);
    }

    private sealed class RecordingSender(List<OutgoingMessage> sent) : IMessageSender
    {
        public Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
        {
            sent.Add(message);
            return Task.CompletedTask;
        }

        public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
        {
            sent.AddRange(messages);
            return Task.CompletedTask;
        }
    }
}
