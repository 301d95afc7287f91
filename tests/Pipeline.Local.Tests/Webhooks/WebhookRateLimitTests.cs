using System.Net;
using System.Text.Json.Nodes;

namespace Pipeline.Local.Tests.Webhooks;

public sealed class WebhookRateLimitTests
{
    [Fact]
    public async Task A_partner_over_its_limit_gets_429_with_Retry_After_while_other_partners_go_on()
    {
        await using var host = await WebhookHost.StartAsync(new Dictionary<string, string?>
        {
            ["Webhooks:RateLimit:PermitLimit"] = "2",
            ["Webhooks:RateLimit:Window"] = "01:00:00",
        });
        var body = WebhookHost.DocExample(WebhookHost.Moodle);

        Assert.Equal(HttpStatusCode.OK, (await host.PostSignedAsync(WebhookHost.Moodle, body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.PostSignedAsync(WebhookHost.Moodle, body)).StatusCode);
        var limited = await host.PostSignedAsync(WebhookHost.Moodle, body);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
        Assert.Equal("urn:credential-pipeline:problem:rate-limited", (string)JsonNode.Parse(await limited.Content.ReadAsStringAsync())!["type"]!);
        Assert.Equal(HttpStatusCode.OK, (await host.PostSignedAsync(WebhookHost.Caliper, WebhookHost.DocExample(WebhookHost.Caliper))).StatusCode);
    }
}
