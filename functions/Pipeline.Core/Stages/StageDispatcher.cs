using Pipeline.Core.Contracts;
using Pipeline.Core.Stages.Evaluate;
using Pipeline.Core.Stages.Issue;
using Pipeline.Core.Stages.Notify;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Stages;

/// <summary>One row of <see cref="StageDispatcher.Table"/>: the queue a stage reads, the stage's name and the message type on that queue.</summary>
public sealed class StageRoute
{
    internal StageRoute(string queue, string stage, Type messageType, Func<StageHandlers, string, CancellationToken, Task<IReadOnlyList<OutgoingMessage>>> run)
    {
        Queue = queue;
        Stage = stage;
        MessageType = messageType;
        Run = run;
    }

    public string Queue { get; }
    public string Stage { get; }
    public Type MessageType { get; }
    internal Func<StageHandlers, string, CancellationToken, Task<IReadOnlyList<OutgoingMessage>>> Run { get; }

    public override string ToString() => $"{Queue} → {MessageType.Name} → {Stage}";
}

/// <summary>The handlers <see cref="StageDispatcher.Table"/> routes to.</summary>
public sealed record StageHandlers(
    EvaluateCompletionHandler Evaluate,
    IssueCredentialHandler Issue,
    SendClaimEmailHandler Notify,
    ResendClaimLinksHandler Resend);

/// <summary>
/// What a queue trigger does, for both hosts (the Functions app's queue triggers, the embedded host's dispatchers):
/// decode the message by its queue's row of <see cref="Table"/>, call the stage handler, send what it emits. Faults
/// propagate: retrying, poisoning and throttling (<see cref="ThrottledException"/>) are the host's.
/// </summary>
public sealed class StageDispatcher(StageHandlers handlers, IMessageSender sender)
{
    /// <summary>Queue → message type → handler, the only place that says which stage reads which queue.</summary>
    public static IReadOnlyList<StageRoute> Table { get; } =
    [
        Route<RecordCompletion>(Queues.Completions, "evaluate", StageMessages.DecodeRecordCompletion, async (h, m, ct) => (await h.Evaluate.HandleAsync(m, ct)).Emitted),
        Route<IssueCredential>(Queues.Issuance, "issue", StageMessages.DecodeIssueCredential, async (h, m, ct) => (await h.Issue.HandleAsync(m, ct)).Emitted),
        Route<SendClaimEmail>(Queues.Emails, "notify", StageMessages.DecodeSendClaimEmail, async (h, m, ct) => (await h.Notify.HandleAsync(m, ct)).Emitted),
        Route<ResendClaimLinks>(Queues.ClaimResends, "resend", StageMessages.DecodeResendClaimLinks, async (h, m, ct) => (await h.Resend.HandleAsync(m, ct)).Emitted),
    ];

    /// <summary>The row for <paramref name="queue"/>, or null when no stage reads it.</summary>
    public static StageRoute? For(string queue) => Table.FirstOrDefault(r => string.Equals(r.Queue, queue, StringComparison.Ordinal));

    /// <exception cref="InvalidMessageException">No stage reads <paramref name="queue"/>, or the body is not its message.</exception>
    public async Task DispatchAsync(string queue, string body, CancellationToken cancellationToken)
    {
        var route = For(queue) ?? throw new InvalidMessageException($"No stage reads queue \"{queue}\".");
        var emitted = await route.Run(handlers, body, cancellationToken);
        if (emitted.Count > 0)
        {
            await sender.SendBatchAsync(emitted, cancellationToken);
        }
    }

    private static StageRoute Route<TMessage>(
        string queue,
        string stage,
        Func<string, TMessage> decode,
        Func<StageHandlers, TMessage, CancellationToken, Task<IReadOnlyList<OutgoingMessage>>> handle) =>
        new(queue, stage, typeof(TMessage), (h, body, ct) => handle(h, decode(body), ct));
}
