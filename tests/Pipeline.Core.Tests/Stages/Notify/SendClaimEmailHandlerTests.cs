using System.Text.RegularExpressions;
using Pipeline.Core.Contracts;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http;
using Pipeline.Core.Stages.Notify;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;
using static Pipeline.Core.Tests.TestData.StageScenario;

namespace Pipeline.Core.Tests.Stages.Notify;

public sealed class SendClaimEmailHandlerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Send_mails_the_learner_once_with_the_inline_badge_and_a_claim_link_whose_hash_is_stored()
    {
        using var scenario = new StageScenario();
        var id = await scenario.IssueRoboticsAsync();

        var result = await scenario.Notify.HandleAsync(Message(id), None);

        Assert.Equal(new NotifyOutcome(NotifyOutcomeKind.Sent, id), result.Outcome);
        Assert.Empty(result.Emitted);
        var email = Assert.Single(scenario.Mailer.Sent);
        Assert.Equal(new EmailAddress(Profile.Email, "Ada Lovelace"), email.To);
        var issuer = scenario.Catalog.Issuers["arizona"];
        Assert.Equal($"{id}@{issuer.PublicBaseUrl.Host}", email.MessageId);
        var badge = Assert.Single(email.InlineImages);
        Assert.Equal((ClaimEmail.BadgeContentId, "image/png"), (badge.ContentId, badge.ContentType));
        Assert.Equal(scenario.Blobs.Bytes(Containers.Credentials, BlobNames.CredentialFile(id, "png")), badge.Content.ToArray());
        Assert.Contains($"cid:{ClaimEmail.BadgeContentId}", email.HtmlBody, StringComparison.Ordinal);
        var token = ClaimToken(scenario, email.TextBody);
        Assert.Contains(issuer.Urls.Claim(token).AbsoluteUri, email.HtmlBody, StringComparison.Ordinal);
        var claim = (await scenario.Claims.GetByCredentialAsync(id, None))!;
        Assert.Equal((ClaimTokens.Hash(token), (DateTimeOffset?)Now, Now + new ClaimEmailOptions().LinkLifetime), (claim.TokenHash, claim.SentAt, claim.ExpiresAt));
        Assert.DoesNotContain(token, claim.TokenHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_again_is_AlreadySent_and_mails_nothing()
    {
        using var scenario = new StageScenario();
        var id = await scenario.IssueRoboticsAsync();
        await scenario.Notify.HandleAsync(Message(id), None);
        var claim = await scenario.Claims.GetByCredentialAsync(id, None);

        var again = await scenario.Notify.HandleAsync(Message(id), None);

        Assert.Equal(NotifyOutcomeKind.AlreadySent, again.Outcome.Kind);
        Assert.Single(scenario.Mailer.Sent);
        Assert.Equal(claim, await scenario.Claims.GetByCredentialAsync(id, None));
    }

    [Fact]
    public async Task A_credential_revoked_before_its_email_is_NotActive_and_mails_nothing()
    {
        using var scenario = new StageScenario();
        var id = await scenario.IssueRoboticsAsync();
        await scenario.Credentials.UpdateStateAsync(id, CredentialState.Revoked, "issued in error", Now, None);

        var result = await scenario.Notify.HandleAsync(Message(id), None);

        Assert.Equal(new NotifyOutcome(NotifyOutcomeKind.NotActive, id), result.Outcome);
        Assert.Empty(scenario.Mailer.Sent);
        Assert.Null(await scenario.Claims.GetByCredentialAsync(id, None));
    }

    [Fact]
    public async Task A_crash_after_the_mail_before_it_is_recorded_sends_the_same_link_again_with_the_same_message_id()
    {
        using var scenario = new StageScenario();
        var id = await scenario.IssueRoboticsAsync();
        var crashing = scenario.CreateNotifyHandler(new CrashAfterSendMailer(scenario.Mailer));
        await Assert.ThrowsAsync<IOException>(() => crashing.HandleAsync(Message(id), None));
        var pending = (await scenario.Claims.GetByCredentialAsync(id, None))!;
        Assert.Null(pending.SentAt);

        var retry = await scenario.Notify.HandleAsync(Message(id), None);

        Assert.Equal(NotifyOutcomeKind.Sent, retry.Outcome.Kind);
        Assert.Equal(2, scenario.Mailer.Sent.Count);
        var (first, second) = (scenario.Mailer.Sent[0], scenario.Mailer.Sent[1]);
        Assert.Equal(first.MessageId, second.MessageId);
        var (firstToken, secondToken) = (ClaimToken(scenario, first.TextBody), ClaimToken(scenario, second.TextBody));
        Assert.Equal(firstToken, secondToken);
        var claim = (await scenario.Claims.GetByCredentialAsync(id, None))!;
        Assert.Equal(ClaimTokens.Hash(firstToken), claim.TokenHash);
        Assert.NotNull(claim.SentAt);
        Assert.Equal(id, (await scenario.Claims.GetByTokenHashAsync(ClaimTokens.Hash(firstToken), None))!.CredentialId);
    }

    [Fact]
    public async Task An_unknown_credential_is_an_InvalidMessageException()
    {
        using var scenario = new StageScenario();

        var exception = await Assert.ThrowsAsync<InvalidMessageException>(() => scenario.Notify.HandleAsync(Message("nope"), None));

        Assert.Contains("credential nope is not in the credential ledger", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resend_after_the_email_went_out_extends_the_link_mails_the_same_link_again_and_is_audited_once()
    {
        using var scenario = new StageScenario();
        var id = await scenario.IssueRoboticsAsync();
        await scenario.Notify.HandleAsync(Message(id), None);
        var lifetime = new ClaimEmailOptions().LinkLifetime;
        scenario.Time.Advance(lifetime + TimeSpan.FromDays(3));

        var resent = await scenario.Notify.HandleAsync(Message(id) with { Resend = 1 }, None);
        var duplicate = await scenario.Notify.HandleAsync(Message(id) with { Resend = 1 }, None);

        Assert.Equal(new NotifyOutcome(NotifyOutcomeKind.Resent, id), resent.Outcome);
        Assert.Equal(NotifyOutcomeKind.AlreadySent, duplicate.Outcome.Kind);
        Assert.Equal(2, scenario.Mailer.Sent.Count);
        var (first, second) = (scenario.Mailer.Sent[0], scenario.Mailer.Sent[1]);
        Assert.NotEqual(first.MessageId, second.MessageId);
        Assert.Equal(ClaimToken(scenario, first.TextBody), ClaimToken(scenario, second.TextBody));
        var claim = (await scenario.Claims.GetByCredentialAsync(id, None))!;
        Assert.Equal((Now, scenario.Time.GetUtcNow() + lifetime), (claim.SentAt, claim.ExpiresAt));
        var entry = Assert.Single(await scenario.Audit.GetByCredentialAsync(id, None), e => e.Action == SendClaimEmailHandler.ResentAction);
        Assert.Equal(($"claim-resent:{id}:1", "learner"), (entry.EntryId, entry.Actor));
    }

    [Fact]
    public async Task The_automatic_email_stays_once_after_a_resend()
    {
        using var scenario = new StageScenario();
        var id = await scenario.IssueRoboticsAsync();
        await scenario.Notify.HandleAsync(Message(id), None);
        await scenario.Notify.HandleAsync(Message(id) with { Resend = 1 }, None);

        var automatic = await scenario.Notify.HandleAsync(Message(id), None);
        var secondResend = await scenario.Notify.HandleAsync(Message(id) with { Resend = 2 }, None);

        Assert.Equal(NotifyOutcomeKind.AlreadySent, automatic.Outcome.Kind);
        Assert.Equal(NotifyOutcomeKind.Resent, secondResend.Outcome.Kind);
        Assert.Equal(3, scenario.Mailer.Sent.Count);
    }

    [Fact]
    public async Task A_resend_before_the_automatic_email_is_that_email()
    {
        using var scenario = new StageScenario();
        var id = await scenario.IssueRoboticsAsync();

        var result = await scenario.Notify.HandleAsync(Message(id) with { Resend = 1 }, None);
        var automatic = await scenario.Notify.HandleAsync(Message(id), None);

        Assert.Equal(NotifyOutcomeKind.Sent, result.Outcome.Kind);
        Assert.Equal(NotifyOutcomeKind.AlreadySent, automatic.Outcome.Kind);
        Assert.Single(scenario.Mailer.Sent);
    }

    [Fact]
    public async Task A_resend_of_a_revoked_credential_is_NotActive_and_mails_nothing()
    {
        using var scenario = new StageScenario();
        var id = await scenario.IssueRoboticsAsync();
        await scenario.Notify.HandleAsync(Message(id), None);
        await scenario.Credentials.UpdateStateAsync(id, CredentialState.Revoked, "issued in error", Now, None);

        var result = await scenario.Notify.HandleAsync(Message(id) with { Resend = 1 }, None);

        Assert.Equal(NotifyOutcomeKind.NotActive, result.Outcome.Kind);
        Assert.Single(scenario.Mailer.Sent);
    }

    private static SendClaimEmail Message(string credentialId) => new() { CorrelationId = "corr-email", CredentialId = credentialId };

    /// <summary>The token of the claim link in a text body (the part after the issuer's <c>claim/</c> URL).</summary>
    private static string ClaimToken(StageScenario scenario, string text)
    {
        var prefix = scenario.Catalog.Issuers["arizona"].Urls.Claim("T").AbsoluteUri[..^1];
        var match = Regex.Match(text, Regex.Escape(prefix) + @"(\S+)");
        Assert.True(match.Success, $"no claim link {prefix}… in:\n{text}");
        return match.Groups[1].Value;
    }

    /// <summary>Sends through the inner mailer, then fails: the process died before the send was recorded.</summary>
    private sealed class CrashAfterSendMailer(IMailer inner) : IMailer
    {
        public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            await inner.SendAsync(message, cancellationToken);
            throw new IOException("process killed after the relay accepted the message");
        }
    }
}
