using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Core.Contracts;
using Pipeline.Core.Stages.Notify;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;
using static Pipeline.Core.Tests.TestData.StageScenario;

namespace Pipeline.Core.Tests.Stages.Notify;

public sealed class ResendClaimLinksHandlerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_known_address_in_any_case_gets_a_resend_of_its_issued_credential_which_Notify_mails()
    {
        using var scenario = new StageScenario();
        var id = await scenario.IssueRoboticsAsync();
        await scenario.Notify.HandleAsync(new SendClaimEmail { CorrelationId = "first", CredentialId = id }, None);

        var result = await CreateSut(scenario).HandleAsync(Request(" ADA.Lovelace@example.edu"), None);
        foreach (var message in result.Emitted)
        {
            await scenario.Notify.HandleAsync(StageMessages.DecodeSendClaimEmail(message.Body), None);
        }

        Assert.Equal(1, result.Outcome);
        var emitted = Assert.Single(result.Emitted);
        Assert.Equal(Queues.Emails, emitted.Queue);
        Assert.Equal(
            new SendClaimEmail { CorrelationId = SendClaimEmailHandler.ResendEntryId(id, 1), CredentialId = id, Resend = 1 },
            StageMessages.DecodeSendClaimEmail(emitted.Body));
        Assert.Equal(2, scenario.Mailer.Sent.Count);
        Assert.All(scenario.Mailer.Sent, email => Assert.Equal(Profile.Email, email.To.Address));
    }

    [Fact]
    public async Task An_unknown_address_emits_nothing()
    {
        using var scenario = new StageScenario();
        await scenario.IssueRoboticsAsync();

        var result = await CreateSut(scenario).HandleAsync(Request("nobody@example.edu"), None);

        Assert.Equal(0, result.Outcome);
        Assert.Empty(result.Emitted);
    }

    [Fact]
    public async Task The_next_request_after_a_resend_asks_for_the_next_resend_number()
    {
        using var scenario = new StageScenario();
        var id = await scenario.IssueRoboticsAsync();
        await scenario.Audit.AppendAsync(new AuditEntry
        {
            EntryId = SendClaimEmailHandler.ResendEntryId(id, 1),
            CredentialId = id,
            Action = SendClaimEmailHandler.ResentAction,
            Actor = "learner",
            At = Now,
        }, None);

        var result = await CreateSut(scenario).HandleAsync(Request(Profile.Email), None);

        Assert.Equal(2, StageMessages.DecodeSendClaimEmail(Assert.Single(result.Emitted).Body).Resend);
    }

    [Fact]
    public async Task A_revoked_credential_gets_no_new_link()
    {
        using var scenario = new StageScenario();
        var id = await scenario.IssueRoboticsAsync();
        await scenario.Credentials.UpdateStateAsync(id, CredentialState.Revoked, "issued in error", Now, None);

        var result = await CreateSut(scenario).HandleAsync(Request(Profile.Email), None);

        Assert.Empty(result.Emitted);
    }

    [Theory]
    [InlineData("""{"schemaVersion":1,"correlationId":"c","email":" "}""")]
    [InlineData("""{"schemaVersion":2,"correlationId":"c","email":"ada@example.edu"}""")]
    [InlineData("""{"schemaVersion":1,"correlationId":"c"}""")]
    public void A_message_without_an_address_or_of_another_version_can_never_succeed(string body)
    {
        Assert.Throws<InvalidMessageException>(() => StageMessages.DecodeResendClaimLinks(body));
    }

    private static ResendClaimLinks Request(string email) => new() { CorrelationId = "claim-request:test", Email = email };

    private static ResendClaimLinksHandler CreateSut(StageScenario scenario) =>
        new(scenario.Progress, scenario.Credentials, scenario.Audit, NullLogger<ResendClaimLinksHandler>.Instance);
}
