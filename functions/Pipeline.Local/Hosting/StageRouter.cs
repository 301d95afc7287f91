using System.Diagnostics;
using Pipeline.Core.Contracts;
using Pipeline.Core.Stages.Evaluate;
using Pipeline.Core.Stages.Issue;
using Pipeline.Core.Stages.Notify;
using Pipeline.Core.Storage;
using Pipeline.Local.Storage;

namespace Pipeline.Local.Hosting;

/// <summary>
/// The embedded host's equivalent of the Functions queue triggers: decodes a message, calls its stage handler and
/// sends what the handler emits. Faults propagate so the dispatcher retries and poison-queues.
/// </summary>
internal sealed class StageRouter(
    EvaluateCompletionHandler evaluate,
    IssueCredentialHandler issue,
    SendClaimEmailHandler notify,
    ResendClaimLinksHandler resend,
    IMessageSender sender,
    StageMetrics metrics)
{
    public async Task HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var succeeded = false;
        try
        {
            await RouteAsync(message, cancellationToken);
            succeeded = true;
        }
        finally
        {
            metrics.RecordStage(message.Queue, started, succeeded);
        }
    }

    private async Task RouteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        IReadOnlyList<OutgoingMessage> emitted = message.Queue switch
        {
            Queues.Completions => (await evaluate.HandleAsync(StageMessages.DecodeRecordCompletion(message.Body), cancellationToken)).Emitted,
            Queues.Issuance => (await issue.HandleAsync(StageMessages.DecodeIssueCredential(message.Body), cancellationToken)).Emitted,
            Queues.Emails => (await notify.HandleAsync(StageMessages.DecodeSendClaimEmail(message.Body), cancellationToken)).Emitted,
            Queues.ClaimResends => (await resend.HandleAsync(StageMessages.DecodeResendClaimLinks(message.Body), cancellationToken)).Emitted,
            _ => throw new InvalidMessageException($"No stage reads queue \"{message.Queue}\"."),
        };
        if (emitted.Count > 0)
        {
            await sender.SendBatchAsync(emitted, cancellationToken);
        }
    }
}
