using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http;
using Pipeline.Core.Stages.Issue;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Stages.Notify;

public enum NotifyOutcomeKind
{
    Sent,
    AlreadySent,
    /// <summary>A resend the learner asked for went out, with the link's expiry extended.</summary>
    Resent,
    /// <summary>The credential was revoked or suspended before its email went out: nothing is sent.</summary>
    NotActive,
}

public sealed record NotifyOutcome(NotifyOutcomeKind Kind, string CredentialId);

/// <summary>
/// The Notify stage (queue <c>emails</c>): sends the learner the claim email of an issued credential, once ever.
/// The token is derived from the credential id under the deployment's secret (<see cref="ClaimTokens.Derive"/>), so
/// concurrent or repeated attempts all send the same working link (only its hash is stored); the sent time in the claims
/// ledger is the guard. A message with <see cref="SendClaimEmail.Resend"/> is a resend the learner asked for: once the
/// automatic email has gone, it extends the claim's expiry by <see cref="ClaimEmailOptions.LinkLifetime"/> from now
/// (the derived token, so the link, stays the same) and sends the email again, once per resend number, recorded as the
/// audit entry <c>claim-resent:{credential}:{n}</c>; before the automatic email has gone it is that email.
/// </summary>
public sealed class SendClaimEmailHandler(
    PipelineCatalog catalog,
    ICredentialLedger credentials,
    IClaimLedger claims,
    IProgressLedger progress,
    IAuditLog audit,
    IBlobStore blobs,
    IMailer mailer,
    IOptions<ClaimEmailOptions> options,
    IssuanceSecrets secrets,
    TimeProvider time,
    ILogger<SendClaimEmailHandler> logger)
{
    private readonly CredentialLocks _locks = new();

    public async Task<StageResult<NotifyOutcome>> HandleAsync(SendClaimEmail message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var held = await _locks.AcquireAsync(message.CredentialId, cancellationToken);
        var record = await credentials.GetAsync(message.CredentialId, cancellationToken)
            ?? throw new InvalidMessageException($"emails message: credential {message.CredentialId} is not in the credential ledger.");
        if (record.State == CredentialState.Pending)
        {
            throw new InvalidOperationException($"Credential {record.CredentialId} is not issued yet; its claim email waits for the Issue stage.");
        }

        var claim = await claims.GetByCredentialAsync(record.CredentialId, cancellationToken);
        if (claim?.SentAt is not null && message.Resend is { } resend)
        {
            return await ResendAsync(record, resend, message.CorrelationId, cancellationToken);
        }
        if (claim?.SentAt is not null)
        {
            Log.AlreadySent(logger, record.CredentialId, message.CorrelationId);
            return StageResult.Of(new NotifyOutcome(NotifyOutcomeKind.AlreadySent, record.CredentialId));
        }
        if (record.State != CredentialState.Issued)
        {
            return StageResult.Of(new NotifyOutcome(NotifyOutcomeKind.NotActive, record.CredentialId));
        }

        var expiresAt = time.GetUtcNow() + options.Value.LinkLifetime;
        var (token, tokenHash) = ClaimTokens.Derive(secrets.SubjectIdSecret.Span, record.CredentialId);
        await claims.PutPendingAsync(new ClaimRecord { CredentialId = record.CredentialId, TokenHash = tokenHash, ExpiresAt = expiresAt }, cancellationToken);
        var email = await ComposeAsync(record, token, expiresAt, cancellationToken);
        await mailer.SendAsync(email, cancellationToken);
        await claims.TryMarkSentAsync(record.CredentialId, time.GetUtcNow(), cancellationToken);
        Log.Sent(logger, record.CredentialId, message.CorrelationId);
        return StageResult.Of(new NotifyOutcome(NotifyOutcomeKind.Sent, record.CredentialId));
    }

    /// <summary>The audit entry id of a credential's n-th learner-requested resend.</summary>
    public static string ResendEntryId(string credentialId, int resend) => $"{ResentAction}:{credentialId}:{resend}";

    /// <summary>The audit action of a learner-requested resend.</summary>
    public const string ResentAction = "claim-resent";

    private async Task<StageResult<NotifyOutcome>> ResendAsync(CredentialRecord record, int resend, string correlationId, CancellationToken cancellationToken)
    {
        if (record.State != CredentialState.Issued)
        {
            return StageResult.Of(new NotifyOutcome(NotifyOutcomeKind.NotActive, record.CredentialId));
        }
        var entryId = ResendEntryId(record.CredentialId, resend);
        if ((await audit.GetByCredentialAsync(record.CredentialId, cancellationToken)).Any(e => e.EntryId == entryId))
        {
            Log.AlreadyResent(logger, record.CredentialId, resend, correlationId);
            return StageResult.Of(new NotifyOutcome(NotifyOutcomeKind.AlreadySent, record.CredentialId));
        }
        var expiresAt = time.GetUtcNow() + options.Value.LinkLifetime;
        await claims.TryRenewAsync(record.CredentialId, expiresAt, cancellationToken);
        var (token, _) = ClaimTokens.Derive(secrets.SubjectIdSecret.Span, record.CredentialId);
        var email = await ComposeAsync(record, token, expiresAt, cancellationToken);
        await mailer.SendAsync(email with { MessageId = $"{record.CredentialId}.resend-{resend}@{email.MessageId.Split('@')[1]}" }, cancellationToken);
        await audit.AppendAsync(new AuditEntry
        {
            EntryId = entryId,
            CredentialId = record.CredentialId,
            Action = ResentAction,
            Actor = "learner",
            At = time.GetUtcNow(),
            Reason = "The learner asked for a new claim link.",
        }, cancellationToken);
        Log.Resent(logger, record.CredentialId, resend, correlationId);
        return StageResult.Of(new NotifyOutcome(NotifyOutcomeKind.Resent, record.CredentialId));
    }

    private async Task<EmailMessage> ComposeAsync(CredentialRecord record, string token, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var achievement = catalog.Achievements[record.AchievementId];
        var issuer = catalog.IssuerOf(achievement);
        var learner = await progress.GetLearnerAsync(record.LearnerId, cancellationToken)
            ?? throw new InvalidOperationException($"Learner {record.LearnerId} of credential {record.CredentialId} is not in the progress ledger.");
        var png = await blobs.GetAsync(Containers.Credentials, BlobNames.CredentialFile(record.CredentialId, "png"), cancellationToken)
            ?? throw new InvalidOperationException($"credentials/{record.CredentialId}.png is missing; the Issue stage writes it before asking for the email.");
        return ClaimEmail.Compose(record.CredentialId, issuer, achievement, learner,
            issuer.Urls.Claim(token), expiresAt, png.Content, options.Value.FromAddress);
    }
}
