using Pipeline.Core.Contracts;
using Pipeline.Core.Stages.Evaluate;
using Pipeline.Core.Stages.Issue;
using Pipeline.Core.Stages.Notify;
using Pipeline.Core.Storage;

namespace Pipeline.Functions.Hosting;

/// <summary>
/// What each queue trigger does (the embedded host's StageRouter, on Azure): decode the message, call the stage handler,
/// send what it emits. Faults propagate, so the host retries the message and poison-queues it after maxDequeueCount —
/// except throttling (<see cref="ThrottledException"/>: a service's 429/503 or the email quota used up), where the
/// message is put back on its queue with the Retry-After as visibility delay and this invocation succeeds: a throttled
/// message waits, it never uses up its attempts. Every stage is idempotent, so the copy is safe.
/// </summary>
public sealed class StageRunner(
    EvaluateCompletionHandler evaluate,
    IssueCredentialHandler issue,
    SendClaimEmailHandler notify,
    ResendClaimLinksHandler resend,
    IMessageSender sender)
{
    public async Task RunAsync(string queue, string body, CancellationToken cancellationToken)
    {
        try
        {
            await HandleAsync(queue, body, cancellationToken);
        }
        catch (ThrottledException throttled)
        {
            await sender.SendAsync(new OutgoingMessage(queue, body) { VisibilityDelay = throttled.RetryAfter }, cancellationToken);
        }
    }

    private async Task HandleAsync(string queue, string body, CancellationToken cancellationToken)
    {
        IReadOnlyList<OutgoingMessage> emitted = queue switch
        {
            Queues.Completions => (await evaluate.HandleAsync(StageMessages.DecodeRecordCompletion(body), cancellationToken)).Emitted,
            Queues.Issuance => (await issue.HandleAsync(StageMessages.DecodeIssueCredential(body), cancellationToken)).Emitted,
            Queues.Emails => (await notify.HandleAsync(StageMessages.DecodeSendClaimEmail(body), cancellationToken)).Emitted,
            Queues.ClaimResends => (await resend.HandleAsync(StageMessages.DecodeResendClaimLinks(body), cancellationToken)).Emitted,
            _ => throw new InvalidMessageException($"No stage reads queue \"{queue}\"."),
        };
        if (emitted.Count > 0)
        {
            await sender.SendBatchAsync(emitted, cancellationToken);
        }
    }
}
