using Pipeline.Core.Contracts;
using Pipeline.Core.Stages.Evaluate;
using Pipeline.Core.Stages.Issue;
using Pipeline.Core.Stages.Notify;
using Pipeline.Core.Storage;

namespace Pipeline.Functions.Hosting;

/// <summary>
/// What each queue trigger does (the embedded host's StageRouter, on Azure): decode the message, call the stage handler,
/// send what it emits. Faults propagate, so the host retries the message and poison-queues it after maxDequeueCount.
/// </summary>
public sealed class StageRunner(
    EvaluateCompletionHandler evaluate,
    IssueCredentialHandler issue,
    SendClaimEmailHandler notify,
    IMessageSender sender)
{
    public async Task RunAsync(string queue, string body, CancellationToken cancellationToken)
    {
        IReadOnlyList<OutgoingMessage> emitted = queue switch
        {
            Queues.Completions => (await evaluate.HandleAsync(StageMessages.DecodeRecordCompletion(body), cancellationToken)).Emitted,
            Queues.Issuance => (await issue.HandleAsync(StageMessages.DecodeIssueCredential(body), cancellationToken)).Emitted,
            Queues.Emails => (await notify.HandleAsync(StageMessages.DecodeSendClaimEmail(body), cancellationToken)).Emitted,
            _ => throw new InvalidMessageException($"No stage reads queue \"{queue}\"."),
        };
        if (emitted.Count > 0)
        {
            await sender.SendBatchAsync(emitted, cancellationToken);
        }
    }
}
