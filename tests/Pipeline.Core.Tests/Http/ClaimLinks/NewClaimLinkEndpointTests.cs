using System.Net;
using Pipeline.Core.Contracts;
using Pipeline.Core.Http.ClaimLinks;
using Pipeline.Core.Stages.Notify;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Tests.Http.ClaimLinks;

public sealed class NewClaimLinkEndpointTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Known_and_unknown_addresses_get_byte_identical_answers_and_only_the_known_one_queues_an_email()
    {
        await using var site = await PublicSite.StartAsync();

        using var known = await PostAsync(site, "  COBOT.Learner@example.edu ");
        var knownBytes = await known.Content.ReadAsByteArrayAsync();
        var queuedAfterKnown = site.Messages.Sent.Count;
        using var unknown = await PostAsync(site, "nobody@example.edu");
        var unknownBytes = await unknown.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(known.StatusCode, unknown.StatusCode);
        Assert.Equal(knownBytes, unknownBytes);
        Assert.Equal(Headers(known), Headers(unknown));
        Assert.Contains("If we found a badge for this address, we have sent a new link", System.Text.Encoding.UTF8.GetString(knownBytes), StringComparison.Ordinal);
        Assert.Equal(1, queuedAfterKnown);
        var message = Assert.Single(site.Messages.Sent);
        Assert.Equal(Queues.Emails, message.Queue);
        Assert.Equal(
            new SendClaimEmail { CorrelationId = $"claim-resent:{PublicSite.CredentialId}:1", CredentialId = PublicSite.CredentialId, Resend = 1 },
            StageMessages.DecodeSendClaimEmail(message.Body));
    }

    [Fact]
    public async Task The_next_request_after_a_resend_asks_for_the_next_resend_number()
    {
        await using var site = await PublicSite.StartAsync();
        await site.Audit.AppendAsync(new AuditEntry
        {
            EntryId = SendClaimEmailHandler.ResendEntryId(PublicSite.CredentialId, 1),
            CredentialId = PublicSite.CredentialId,
            Action = SendClaimEmailHandler.ResentAction,
            Actor = "learner",
            At = PublicSite.Now,
        }, None);

        using var response = await PostAsync(site, PublicSite.LearnerEmail);

        Assert.Equal(2, StageMessages.DecodeSendClaimEmail(Assert.Single(site.Messages.Sent).Body).Resend);
    }

    [Fact]
    public async Task A_revoked_credential_gets_no_new_link_and_the_same_answer()
    {
        await using var site = await PublicSite.StartAsync();
        await site.Credentials.UpdateStateAsync(PublicSite.CredentialId, CredentialState.Revoked, "issued in error", PublicSite.Now, None);

        using var response = await PostAsync(site, PublicSite.LearnerEmail);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(site.Messages.Sent);
    }

    [Fact]
    public async Task Requests_beyond_the_per_email_limit_get_429_with_Retry_After_until_the_window_ends()
    {
        await using var site = await PublicSite.StartAsync();
        var limit = new NewClaimLinkOptions().PerEmailLimit;
        for (var i = 0; i < limit; i++)
        {
            using var allowed = await PostAsync(site, "nobody@example.edu");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await PostAsync(site, " NOBODY@example.edu");
        site.Time.Advance(new NewClaimLinkOptions().Window);
        using var later = await PostAsync(site, "nobody@example.edu");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task Requests_beyond_the_per_address_limit_get_429_whatever_the_email()
    {
        await using var site = await PublicSite.StartAsync();
        var limit = new NewClaimLinkOptions().PerAddressLimit;
        for (var i = 0; i < limit; i++)
        {
            using var allowed = await PostAsync(site, $"someone{i}@example.edu");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await PostAsync(site, "someone-else@example.edu");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-address")]
    [InlineData("@example.edu")]
    public async Task A_missing_or_malformed_email_is_400_and_queues_nothing(string email)
    {
        await using var site = await PublicSite.StartAsync();

        using var response = await PostAsync(site, email);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid-email", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(site.Messages.Sent);
    }

    [Fact]
    public void The_expired_link_page_posts_its_form_to_this_endpoint()
    {
        Assert.Equal("/" + NewClaimLinkEndpoint.Route, Pipeline.Core.Http.Pages.ClaimUnavailablePage.NewLinkAction);
    }

    private static async Task<HttpResponseMessage> PostAsync(PublicSite site, string email)
    {
        using var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("email", email)]);
        return await site.Client.PostAsync("/claim", form);
    }

    private static string Headers(HttpResponseMessage response) =>
        string.Join("\n", response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Date")
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => h.Key + ": " + string.Join(",", h.Value)));
}
