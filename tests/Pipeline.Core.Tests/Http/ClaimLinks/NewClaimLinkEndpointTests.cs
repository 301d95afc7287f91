using System.Net;
using Pipeline.Core.Contracts;
using Pipeline.Core.Http.ClaimLinks;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Tests.Http.ClaimLinks;

public sealed class NewClaimLinkEndpointTests
{
    [Fact]
    public async Task Known_and_unknown_addresses_get_byte_identical_answers_and_queue_the_same_request_off_the_request_path()
    {
        await using var site = await PublicSite.StartAsync();

        using var known = await PostAsync(site, "  COBOT.Learner@example.edu ");
        var knownBytes = await known.Content.ReadAsByteArrayAsync();
        using var unknown = await PostAsync(site, "nobody@example.edu");
        var unknownBytes = await unknown.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(known.StatusCode, unknown.StatusCode);
        Assert.Equal(knownBytes, unknownBytes);
        Assert.Equal(Headers(known), Headers(unknown));
        Assert.Contains("If we found a badge for this address, we have sent a new link", System.Text.Encoding.UTF8.GetString(knownBytes), StringComparison.Ordinal);
        Assert.Equal([Queues.ClaimResends, Queues.ClaimResends], site.Messages.Sent.Select(m => m.Queue));
        var requests = site.Messages.Sent.Select(m => StageMessages.DecodeResendClaimLinks(m.Body)).ToList();
        Assert.Equal([PublicSite.LearnerEmail, "nobody@example.edu"], requests.Select(r => r.Email));
        Assert.All(requests, r => Assert.Matches("^claim-request:[0-9a-f]{32}$", r.CorrelationId));
        Assert.NotEqual(requests[0].CorrelationId, requests[1].CorrelationId);
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
