using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;
using Pipeline.Local.Storage;

namespace Pipeline.Local.Dispatching;

/// <summary>
/// The embedded host's queue trigger, for one queue: receives messages, runs up to
/// <see cref="QueueDispatcherOptions.MaxConcurrency"/> handlers at once, deletes a message when its handler
/// returns (deletes are group-committed, see <see cref="SqliteQueue.DeleteAsync"/>), and when it throws leaves it to be retried until its dequeue count reaches
/// <see cref="QueueDispatcherOptions.MaxDequeueCount"/>, then moves it to <c>{queue}-poison</c> with the
/// exception's type and message as the reason. Receives up to <see cref="QueueDispatcherOptions.ReceiveBatchSize"/>
/// messages at once and starts them as handler slots free up. Polls an empty queue with exponential back-off, woken
/// early when this process sends to the queue. On cancellation it
/// stops receiving, lets in-flight handlers finish within <see cref="QueueDispatcherOptions.ShutdownTimeout"/>,
/// then cancels them; an unfinished message reappears after its visibility timeout (at-least-once).
/// A handler that throws <see cref="InvalidMessageException"/> poisons its message at once: it can never succeed; one that
/// throws <see cref="ThrottledException"/> is put back to be retried no sooner than its Retry-After (at most the
/// visibility timeout), and that attempt does not count towards the poison limit, as the Functions app's
/// <c>StageRunner</c> does: a throttled message waits, it never uses up its attempts.
/// </summary>
internal sealed class QueueDispatcher
{
    private readonly SqliteQueue _queue;
    private readonly Func<ReceivedMessage, CancellationToken, Task> _handler;
    private readonly QueueDispatcherOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public QueueDispatcher(
        SqliteQueue queue,
        Func<ReceivedMessage, CancellationToken, Task> handler,
        QueueDispatcherOptions options,
        TimeProvider timeProvider,
        ILogger<QueueDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        if (options.MinPollingInterval > options.MaxPollingInterval)
        {
            throw new ValidationException(
                $"{nameof(QueueDispatcherOptions.MinPollingInterval)} ({options.MinPollingInterval}) must not exceed {nameof(QueueDispatcherOptions.MaxPollingInterval)} ({options.MaxPollingInterval}).");
        }
        _queue = queue;
        _handler = handler;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Dispatches until <paramref name="stoppingToken"/> is cancelled, then shuts down gracefully and returns.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var queueName = _options.Queue;
        _logger.DispatcherStarted(queueName, _options.MaxConcurrency);
        using var slots = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
        using var handlerCancellation = new CancellationTokenSource();
        var inFlight = new ConcurrentDictionary<string, Task>();
        var pollingInterval = _options.MinPollingInterval;
        var received = new Queue<ReceivedMessage>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                if (received.Count == 0)
                {
                    var arrival = _queue.NextArrival(queueName);
                    IReadOnlyList<ReceivedMessage> messages;
                    try
                    {
                        messages = await _queue.ReceiveAsync(queueName, _options.ReceiveBatchSize, _options.VisibilityTimeout, stoppingToken);
                    }
                    catch (SqliteException exception)
                    {
                        slots.Release();
                        _logger.ReceiveFailed(exception, queueName, _options.MaxPollingInterval);
                        await Task.Delay(_options.MaxPollingInterval, _timeProvider, stoppingToken);
                        continue;
                    }
                    catch (OperationCanceledException)
                    {
                        slots.Release();
                        throw;
                    }

                    if (messages.Count == 0)
                    {
                        slots.Release();
                        await WaitForArrivalAsync(arrival, pollingInterval, stoppingToken);
                        pollingInterval = TimeSpan.FromTicks(Math.Min(pollingInterval.Ticks * 2, _options.MaxPollingInterval.Ticks));
                        continue;
                    }
                    pollingInterval = _options.MinPollingInterval;
                    foreach (var message in messages)
                    {
                        received.Enqueue(message);
                    }
                }
                var next = received.Dequeue();
                inFlight[next.MessageId] = RunHandlerAsync(next, slots, inFlight, handlerCancellation.Token);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown requested: stop receiving and drain below.
        }

        await AbandonAsync(received);
        await DrainAsync(inFlight, handlerCancellation);
        _logger.DispatcherStopped(queueName);
    }

    /// <summary>Waits for the polling interval, or less when this process sends to the queue meanwhile.</summary>
    private async Task WaitForArrivalAsync(Task arrival, TimeSpan pollingInterval, CancellationToken stoppingToken)
    {
        using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(pollingInterval, _timeProvider, delayCancellation.Token);
        await Task.WhenAny(arrival, delay);
        await delayCancellation.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>On shutdown, makes the received messages no handler started visible again at once, instead of after their visibility timeout.</summary>
    private async Task AbandonAsync(Queue<ReceivedMessage> received)
    {
        foreach (var message in received)
        {
            try
            {
                await _queue.UpdateVisibilityAsync(message.Queue, message.MessageId, message.PopReceipt, TimeSpan.Zero, CancellationToken.None);
            }
            catch (SqliteException exception)
            {
                _logger.OutcomeNotRecorded(exception, message.Queue, message.MessageId);
            }
        }
    }

    private async Task DrainAsync(ConcurrentDictionary<string, Task> inFlight, CancellationTokenSource handlerCancellation)
    {
        var running = inFlight.Values.ToArray();
        try
        {
            await Task.WhenAll(running).WaitAsync(_options.ShutdownTimeout, _timeProvider);
        }
        catch (TimeoutException)
        {
            _logger.ShutdownTimedOut(_options.Queue, running.Count(t => !t.IsCompleted));
            await handlerCancellation.CancelAsync();
        }
    }

    private async Task RunHandlerAsync(ReceivedMessage message, SemaphoreSlim slots, ConcurrentDictionary<string, Task> inFlight, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await HandleAsync(message, cancellationToken);
        }
        catch (SqliteException exception)
        {
            _logger.OutcomeNotRecorded(exception, message.Queue, message.MessageId);
        }
        finally
        {
            inFlight.TryRemove(message.MessageId, out _);
            slots.Release();
        }
    }

    private async Task HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        if (message.DequeueCount > _options.MaxDequeueCount)
        {
            await PoisonAsync(message, string.Create(CultureInfo.InvariantCulture,
                $"Dequeued {message.DequeueCount} times, more than the maximum of {_options.MaxDequeueCount}, without a handler completing."));
            return;
        }

        try
        {
            await _handler(message, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.HandlerAbandoned(message.Queue, message.MessageId);
            return;
        }
        catch (ThrottledException throttled)
        {
            var delay = TimeSpan.FromTicks(Math.Min(throttled.RetryAfter.Ticks, _options.VisibilityTimeout.Ticks));
            _logger.HandlerThrottled(message.Queue, message.MessageId, delay, throttled.Message);
            if (!await _queue.DeferAsync(message, delay, CancellationToken.None))
            {
                _logger.LeaseLost(message.Queue, message.MessageId);
            }
            return;
        }
        catch (Exception exception)
        {
            if (exception is InvalidMessageException || SqliteQueue.IsLastAttempt(message, _options.MaxDequeueCount))
            {
                await PoisonAsync(message, $"{exception.GetType().FullName}: {exception.Message}");
            }
            else
            {
                _logger.HandlerFailed(exception, message.Queue, message.MessageId, message.DequeueCount, _options.MaxDequeueCount);
                if (_options.RetryDelay is { } retryDelay)
                {
                    await _queue.UpdateVisibilityAsync(message.Queue, message.MessageId, message.PopReceipt, retryDelay, CancellationToken.None);
                }
            }
            return;
        }

        if (!await _queue.DeleteAsync(message.Queue, message.MessageId, message.PopReceipt, CancellationToken.None))
        {
            _logger.LeaseLost(message.Queue, message.MessageId);
        }
    }

    private async Task PoisonAsync(ReceivedMessage message, string reason)
    {
        if (await _queue.MoveToPoisonAsync(message, reason, CancellationToken.None))
        {
            _logger.MovedToPoison(message.Queue, message.MessageId, message.DequeueCount, reason);
        }
        else
        {
            _logger.LeaseLost(message.Queue, message.MessageId);
        }
    }
}
