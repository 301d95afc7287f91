using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;
using Pipeline.Local.Dispatching;
using Pipeline.Local.Storage;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Dispatching;

/// <summary>The dispatcher on a real queue file and the real clock; every wait is on an event, bounded only so a bug cannot hang the run.</summary>
public sealed class QueueDispatcherTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static QueueDispatcherOptions Options(int maxConcurrency = 4, int maxDequeueCount = 5) => new()
    {
        Queue = Queues.Completions,
        MaxConcurrency = maxConcurrency,
        MaxDequeueCount = maxDequeueCount,
        VisibilityTimeout = TimeSpan.FromMinutes(5),
        RetryDelay = TimeSpan.Zero,
        MinPollingInterval = TimeSpan.FromMilliseconds(5),
        MaxPollingInterval = TimeSpan.FromMilliseconds(20),
        ShutdownTimeout = TimeSpan.FromSeconds(10),
    };

    private async Task<SqliteQueue> CreateQueueAsync() => new(await _database.OpenAsync(), TimeProvider.System);

    private static QueueDispatcher CreateSut(SqliteQueue queue, QueueDispatcherOptions options, Func<ReceivedMessage, CancellationToken, Task> handler) =>
        new(queue, handler, options, TimeProvider.System, NullLogger<QueueDispatcher>.Instance);

    private static async Task SendAsync(SqliteQueue queue, int count) =>
        await queue.SendBatchAsync(Enumerable.Range(0, count).Select(i => new OutgoingMessage(Queues.Completions, $"m{i}")).ToList(), CancellationToken.None);

    /// <summary>Runs the dispatcher until <paramref name="until"/> completes, then stops it and waits for its shutdown.</summary>
    private static async Task RunUntilAsync(QueueDispatcher sut, Func<Task> until)
    {
        using var stop = new CancellationTokenSource();
        var run = sut.RunAsync(stop.Token);
        await until();
        await stop.CancelAsync();
        await run.WaitAsync(Bound);
    }

    private static async Task WaitForCountAsync(SqliteQueue queue, string name, int expected)
    {
        using var bound = new CancellationTokenSource(Bound);
        while (await queue.CountAsync(name, CancellationToken.None) != expected)
        {
            await Task.Delay(10, bound.Token);
        }
    }

    [Fact]
    public async Task Handles_every_message_once_and_deletes_it()
    {
        var queue = await CreateQueueAsync();
        await SendAsync(queue, 40);
        var handled = new ConcurrentBag<string>();
        var allHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sut = CreateSut(queue, Options(), (message, _) =>
        {
            handled.Add(message.Body);
            if (handled.Count == 40)
            {
                allHandled.TrySetResult();
            }
            return Task.CompletedTask;
        });

        await RunUntilAsync(sut, async () =>
        {
            await allHandled.Task.WaitAsync(Bound);
            await WaitForCountAsync(queue, Queues.Completions, 0);
        });

        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"m{i}").Order(StringComparer.Ordinal), handled.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_message_that_always_fails_is_poisoned_after_max_dequeue_count_attempts_with_the_exception_as_reason()
    {
        var queue = await CreateQueueAsync();
        await SendAsync(queue, 1);
        var attempts = 0;
        var sut = CreateSut(queue, Options(maxDequeueCount: 3), (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new FormatException("row 3: expected a date");
        });

        await RunUntilAsync(sut, () => WaitForCountAsync(queue, "completions-poison", 1));

        Assert.Equal(3, attempts);
        Assert.Equal(0, await queue.CountAsync(Queues.Completions, CancellationToken.None));
        var poisoned = Assert.Single(await queue.PeekAsync("completions-poison", 1, CancellationToken.None));
        Assert.Equal("System.FormatException: row 3: expected a date", poisoned.PoisonReason);
        Assert.Equal(3, poisoned.DequeueCount);
    }

    [Fact]
    public async Task An_invalid_message_is_poisoned_on_its_first_attempt_with_the_reason()
    {
        var queue = await CreateQueueAsync();
        await SendAsync(queue, 1);
        var attempts = 0;
        var sut = CreateSut(queue, Options(maxDequeueCount: 5), (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new InvalidMessageException("completions message is invalid: /learner/email: expected a non-empty string, found none");
        });

        await RunUntilAsync(sut, () => WaitForCountAsync(queue, "completions-poison", 1));

        Assert.Equal(1, attempts);
        var poisoned = Assert.Single(await queue.PeekAsync("completions-poison", 1, CancellationToken.None));
        Assert.Equal(
            "Pipeline.Core.Contracts.InvalidMessageException: completions message is invalid: /learner/email: expected a non-empty string, found none",
            poisoned.PoisonReason);
    }

    [Fact]
    public async Task A_message_that_fails_once_is_retried_and_then_deleted()
    {
        var queue = await CreateQueueAsync();
        await SendAsync(queue, 1);
        var attempts = new ConcurrentBag<int>();
        var succeeded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sut = CreateSut(queue, Options(), (message, _) =>
        {
            attempts.Add(message.DequeueCount);
            if (message.DequeueCount == 1)
            {
                throw new InvalidOperationException("transient");
            }
            succeeded.SetResult();
            return Task.CompletedTask;
        });

        await RunUntilAsync(sut, async () =>
        {
            await succeeded.Task.WaitAsync(Bound);
            await WaitForCountAsync(queue, Queues.Completions, 0);
        });

        Assert.Equal([1, 2], attempts.Order());
        Assert.Equal(0, await queue.CountAsync("completions-poison", CancellationToken.None));
    }

    [Fact]
    public async Task A_message_throttled_more_often_than_the_maximum_is_never_poisoned_and_its_attempts_are_not_counted()
    {
        var queue = await CreateQueueAsync();
        await SendAsync(queue, 1);
        var attempts = new ConcurrentQueue<int>();
        var succeeded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sut = CreateSut(queue, Options(maxDequeueCount: 3), (message, _) =>
        {
            attempts.Enqueue(message.DequeueCount);
            if (attempts.Count <= 6)
            {
                throw new ThrottledException("429 from the mail service", 429, TimeSpan.FromMilliseconds(1));
            }
            succeeded.SetResult();
            return Task.CompletedTask;
        });

        await RunUntilAsync(sut, async () =>
        {
            await succeeded.Task.WaitAsync(Bound);
            await WaitForCountAsync(queue, Queues.Completions, 0);
        });

        Assert.Equal([1, 1, 1, 1, 1, 1, 1], attempts);
        Assert.Equal(0, await queue.CountAsync("completions-poison", CancellationToken.None));
    }

    [Fact]
    public async Task A_message_received_more_often_than_the_maximum_is_poisoned_without_running_the_handler()
    {
        var queue = await CreateQueueAsync();
        await SendAsync(queue, 1);
        for (var i = 0; i < 3; i++)
        {
            await queue.ReceiveAsync(Queues.Completions, 1, TimeSpan.Zero, CancellationToken.None);
        }
        var handlerRan = false;
        var sut = CreateSut(queue, Options(maxDequeueCount: 3), (_, _) =>
        {
            handlerRan = true;
            return Task.CompletedTask;
        });

        await RunUntilAsync(sut, () => WaitForCountAsync(queue, "completions-poison", 1));

        Assert.False(handlerRan);
        Assert.Contains("more than the maximum of 3", (await queue.PeekAsync("completions-poison", 1, CancellationToken.None))[0].PoisonReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_up_to_max_concurrency_handlers_at_once_and_never_more()
    {
        var queue = await CreateQueueAsync();
        await SendAsync(queue, 12);
        var running = 0;
        var peak = 0;
        var handled = 0;
        var threeRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sut = CreateSut(queue, Options(maxConcurrency: 3), async (_, _) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            if (now == 3)
            {
                threeRunning.TrySetResult();
            }
            await threeRunning.Task;
            Interlocked.Decrement(ref running);
            if (Interlocked.Increment(ref handled) == 12)
            {
                allHandled.SetResult();
            }
        });

        await RunUntilAsync(sut, () => allHandled.Task.WaitAsync(Bound));

        Assert.Equal(3, peak);
    }

    [Fact]
    public async Task Shutdown_lets_an_in_flight_handler_finish_and_deletes_its_message()
    {
        var queue = await CreateQueueAsync();
        await SendAsync(queue, 1);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var sut = CreateSut(queue, Options(), async (_, _) =>
        {
            started.SetResult();
            await release.Task;
        });

        var run = sut.RunAsync(stop.Token);
        await started.Task.WaitAsync(Bound);
        await stop.CancelAsync();
        Assert.False(run.IsCompleted);
        release.SetResult();
        await run.WaitAsync(Bound);

        Assert.Equal(0, await queue.CountAsync(Queues.Completions, CancellationToken.None));
    }

    [Fact]
    public async Task Shutdown_cancels_a_handler_still_running_after_the_timeout_and_its_message_stays()
    {
        var queue = await CreateQueueAsync();
        await SendAsync(queue, 1);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = Options();
        options.ShutdownTimeout = TimeSpan.Zero;
        var sut = CreateSut(queue, options, async (_, cancellationToken) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        });

        await RunUntilAsync(sut, () => started.Task.WaitAsync(Bound));

        Assert.Equal(1, await queue.CountAsync(Queues.Completions, CancellationToken.None));
        Assert.Equal(0, await queue.CountAsync("completions-poison", CancellationToken.None));
    }

    [Fact]
    public async Task Invalid_options_fail_at_construction_naming_the_setting()
    {
        var queue = await CreateQueueAsync();
        var options = Options();
        options.MaxConcurrency = 0;

        var error = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() => CreateSut(queue, options, (_, _) => Task.CompletedTask));

        Assert.Contains(nameof(QueueDispatcherOptions.MaxConcurrency), error.Message, StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
