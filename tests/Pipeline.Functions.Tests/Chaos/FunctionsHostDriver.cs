using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;
using Pipeline.Functions.Functions;

namespace Pipeline.Functions.Tests.Chaos;

/// <summary>
/// Plays the Functions host for one process of the app: a listener per stage queue receives batches from the real
/// Azurite queue under a visibility timeout and invokes the same function entry points (<see cref="StageFunctions"/>,
/// a new instance per invocation, in a scope, as the worker creates them); on success it deletes the message, on a
/// fault it makes the message visible again after <see cref="RetryDelay"/>, and a message that faulted on its
/// <see cref="MaxDequeueCount"/>th delivery is copied to <c>{queue}-poison</c> and deleted (host.json's
/// <c>maxDequeueCount</c>). Event Grid is played by <see cref="ChaosWorld.EventGridQueue"/>: each blob-created event is
/// delivered to the <c>IngestSisFile</c> function until it succeeds. The status-list timer fires every second. With
/// faults on, a delete (or an Event Grid acknowledgement) is lost at the duplicate rate: the message comes back after
/// the visibility timeout, a duplicate delivery. Killing the process abandons whatever is in flight.
/// </summary>
internal sealed class FunctionsHostDriver(ChaosApp app, QueueServiceClient queues, BlobServiceClient blobs)
{
    public const int MaxDequeueCount = 5;
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private const int BatchSize = 16;
    private const int Parallelism = 8;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private int _inFlight, _poisoned, _deletesLost, _blobEvents, _blobEventsDuplicated, _timerFailures;

    public DriverCounts Counts => new(Volatile.Read(ref _poisoned), Volatile.Read(ref _deletesLost), Volatile.Read(ref _blobEvents),
        Volatile.Read(ref _blobEventsDuplicated), Volatile.Read(ref _timerFailures), app.Mail.Calls, app.Topic.Calls);

    /// <summary>Runs until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var loops = Queues.All.Select(queue => ListenAsync(queue, stop)).ToList();
        loops.Add(DeliverBlobEventsAsync(stop));
        loops.Add(FireTimerAsync(stop));
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped: the queues were drained.
        }
    }

    /// <summary>True when nothing is queued (visible or not), no invocation runs and Event Grid has nothing to deliver.</summary>
    public async Task<bool> IsDrainedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _inFlight) > 0)
        {
            return false;
        }
        foreach (var queue in Queues.All.Select(queues.GetQueueClient).Append(app.World.EventGrid))
        {
            if ((await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount > 0)
            {
                return false;
            }
        }
        return Volatile.Read(ref _inFlight) == 0;
    }

    private async Task ListenAsync(string queue, CancellationToken stop)
    {
        var client = queues.GetQueueClient(queue);
        var poison = queues.GetQueueClient(queue + Queues.PoisonSuffix);
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            Interlocked.Increment(ref _inFlight);
            var received = 0;
            try
            {
                QueueMessage[] batch = (await client.ReceiveMessagesAsync(BatchSize, VisibilityTimeout, stop)).Value;
                received = batch.Length;
                await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stop },
                    async (message, token) => await InvokeAsync(queue, client, poison, message, token));
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
            if (received == 0)
            {
                await Task.Delay(PollInterval, stop);
            }
        }
    }

    private async Task InvokeAsync(string queue, QueueClient client, QueueClient poison, QueueMessage message, CancellationToken stop)
    {
        var body = message.Body.ToString();
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var functions = ActivatorUtilities.CreateInstance<StageFunctions>(scope.ServiceProvider);
            await (queue switch
            {
                Queues.Completions => functions.EvaluateAsync(body, stop),
                Queues.Issuance => functions.IssueAsync(body, stop),
                Queues.Emails => functions.NotifyAsync(body, stop),
                Queues.ClaimResends => functions.ResendClaimLinksAsync(body, stop),
                _ => throw new InvalidOperationException($"No function reads {queue}."),
            });
        }
        catch (Exception exception) when (!stop.IsCancellationRequested)
        {
            await app.World.LogFailureAsync(body, $"{queue}: {exception.GetType().Name}: {exception.Message}", stop);
            if (message.DequeueCount >= MaxDequeueCount)
            {
                await poison.SendMessageAsync(body, stop);
                Interlocked.Increment(ref _poisoned);
                await client.DeleteMessageAsync(message.MessageId, message.PopReceipt, stop);
            }
            else
            {
                await client.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: RetryDelay, cancellationToken: stop);
            }
            return;
        }
        if (app.Faults?.ShouldDuplicate($"delete|{queue}|{message.MessageId}|{message.DequeueCount}") == true)
        {
            Interlocked.Increment(ref _deletesLost);
            return;
        }
        await client.DeleteMessageAsync(message.MessageId, message.PopReceipt, stop);
    }

    private async Task DeliverBlobEventsAsync(CancellationToken stop)
    {
        var inbox = blobs.GetBlobContainerClient(Containers.SisInbox);
        var events = app.World.EventGrid;
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            Interlocked.Increment(ref _inFlight);
            bool delivered;
            try
            {
                delivered = await DeliverBlobEventAsync(inbox, events, stop);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
            if (!delivered)
            {
                await Task.Delay(PollInterval, stop);
            }
        }
    }

    private async Task<bool> DeliverBlobEventAsync(BlobContainerClient inbox, QueueClient events, CancellationToken stop)
    {
        if ((await events.ReceiveMessageAsync(VisibilityTimeout, stop)).Value is not { } delivery)
        {
            return false;
        }
        Interlocked.Increment(ref _blobEvents);
        var name = delivery.Body.ToString();
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var functions = ActivatorUtilities.CreateInstance<StageFunctions>(scope.ServiceProvider);
            await functions.IngestSisFileAsync(inbox.GetBlobClient(name), name, stop);
        }
        catch (Exception exception) when (!stop.IsCancellationRequested)
        {
            await app.World.LogFailureAsync(name, $"IngestSisFile: {exception.GetType().Name}: {exception.Message}", stop);
            await events.UpdateMessageAsync(delivery.MessageId, delivery.PopReceipt, visibilityTimeout: RetryDelay, cancellationToken: stop);
            return true;
        }
        if (app.Faults?.ShouldDuplicate($"event-grid|{name}|{delivery.DequeueCount}") == true)
        {
            Interlocked.Increment(ref _blobEventsDuplicated);
            return true;
        }
        await events.DeleteMessageAsync(delivery.MessageId, delivery.PopReceipt, stop);
        return true;
    }

    private async Task FireTimerAsync(CancellationToken stop)
    {
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), stop);
            try
            {
                await using var scope = app.Services.CreateAsyncScope();
                await ActivatorUtilities.CreateInstance<StageFunctions>(scope.ServiceProvider).PublishStatusListsAsync(new TimerInfo(), stop);
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // The host logs a failed timer invocation and fires again on schedule.
                Interlocked.Increment(ref _timerFailures);
            }
        }
    }
}

/// <summary>What one process of the driver did besides the injector's counts.</summary>
internal sealed record DriverCounts(int Poisoned, int DeletesLost, int BlobEvents, int BlobEventsDuplicated, int TimerFailures, int MailCalls, int TopicCalls)
{
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"poisoned={Poisoned} deletesLost={DeletesLost} blobEvents={BlobEvents} blobEventsDuplicated={BlobEventsDuplicated} timerFailures={TimerFailures} mailCalls={MailCalls} topicCalls={TopicCalls}");
}
