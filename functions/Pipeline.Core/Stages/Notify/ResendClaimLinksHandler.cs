using Microsoft.Extensions.Logging;
using Pipeline.Core.Contracts;
using Pipeline.Core.Credentials;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Stages.Notify;

/// <summary>
/// The "send me a new link" stage (queue <c>claim-resends</c>): for every learner whose email it is, every credential
/// still Issued gets a <see cref="SendClaimEmail"/> with the next <see cref="SendClaimEmail.Resend"/> number (one more
/// than the <c>claim-resent</c> audit entries it has), and the Notify stage extends the link and sends it. An unknown
/// address emits nothing. A retry before the Notify stage has sent emits the same resend numbers, which Notify sends once.
/// </summary>
public sealed class ResendClaimLinksHandler(
    IProgressLedger progress,
    ICredentialLedger credentials,
    IAuditLog audit,
    ILogger<ResendClaimLinksHandler> logger)
{
    /// <summary>The outcome is how many resends were emitted.</summary>
    public async Task<StageResult<int>> HandleAsync(ResendClaimLinks message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var email = RecipientIdentity.NormalizeEmail(message.Email);
        var emitted = new List<OutgoingMessage>();
        foreach (var learner in await progress.FindLearnersByEmailAsync(email, cancellationToken))
        {
            foreach (var credential in await credentials.GetByLearnerAsync(learner.LearnerId, cancellationToken))
            {
                if (credential.State != CredentialState.Issued)
                {
                    continue;
                }
                var entries = await audit.GetByCredentialAsync(credential.CredentialId, cancellationToken);
                var resend = entries.Count(e => e.Action == SendClaimEmailHandler.ResentAction) + 1;
                emitted.Add(StageMessages.ToEmails(new SendClaimEmail
                {
                    CorrelationId = SendClaimEmailHandler.ResendEntryId(credential.CredentialId, resend),
                    CredentialId = credential.CredentialId,
                    Resend = resend,
                }));
            }
        }
        Log.ResendsQueued(logger, emitted.Count, message.CorrelationId);
        return StageResult.Of(emitted.Count, emitted);
    }
}
