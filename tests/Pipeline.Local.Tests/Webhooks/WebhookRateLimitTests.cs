using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

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

    [Fact]
    public async Task A_flood_of_unsigned_posts_from_one_address_does_not_use_up_the_partners_window_at_its_own_address()
    {
        await using var host = await WebhookHost.StartAsync(new Dictionary<string, string?>
        {
            ["Webhooks:RateLimit:PermitLimit"] = "2",
            ["Webhooks:RateLimit:Window"] = "01:00:00",
        });
        var body = WebhookHost.DocExample(WebhookHost.Moodle);
        var attacker = IPAddress.Parse("203.0.113.9");
        var partner = IPAddress.Parse("198.51.100.20");

        var flood = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            flood.Add(await PostFromAsync(host, attacker, body, signed: false));
        }
        var fromPartner = await PostFromAsync(host, partner, body, signed: true);

        Assert.Equal([401, 401, 429], flood);
        Assert.Equal(200, fromPartner);
    }

    /// <summary>A post through the test server with <paramref name="from"/> as the client address.</summary>
    private static async Task<int> PostFromAsync(WebhookHost host, IPAddress from, byte[] body, bool signed)
    {
        var (timestamp, signature) = PartnerSigner.Sign(host.SecretOf[WebhookHost.Moodle], body, TimeProvider.System.GetUtcNow());
        var context = await host.App.GetTestServer().SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = from;
            c.Request.Method = HttpMethods.Post;
            c.Request.Path = $"/webhooks/{WebhookHost.Moodle}";
            c.Request.ContentType = "application/json";
            c.Request.Body = new MemoryStream(body);
            if (signed)
            {
                c.Request.Headers["X-Pipeline-Timestamp"] = timestamp;
                c.Request.Headers["X-Pipeline-Signature"] = signature;
            }
        });
        return context.Response.StatusCode;
    }
}
