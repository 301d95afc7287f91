using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Local.Tests.Webhooks;

/// <summary><c>POST /webhooks/{partner}</c> over the real embedded host, the sample catalog and the SQLite pipeline.</summary>
public sealed class WebhookEndpointTests : IAsyncLifetime
{
    private WebhookHost _host = null!;

    public async Task InitializeAsync() => _host = await WebhookHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(WebhookHost.Bootcamp, HttpStatusCode.MultiStatus, "u-2001", "umaine-data-analytics-level-1")]
    [InlineData(WebhookHost.Caliper, HttpStatusCode.OK, "a-3001", "arizona-cobot-safety-certification")]
    [InlineData(WebhookHost.Moodle, HttpStatusCode.OK, "moodle-42", "umaine-leadership-level-1")]
    public async Task Each_payload_shape_example_issues_its_credential_end_to_end(string partner, HttpStatusCode status, string learner, string achievement)
    {
        var response = await _host.PostSignedAsync(partner, WebhookHost.DocExample(partner));

        Assert.Equal(status, response.StatusCode);
        await _host.DrainAsync();
        Assert.Equal([achievement], await _host.AchievementsOfAsync(learner));
    }

    [Fact]
    public async Task The_pipeline_example_accepts_the_good_item_and_reports_the_unknown_activity()
    {
        var response = await _host.PostSignedAsync(WebhookHost.Bootcamp, WebhookHost.DocExample(WebhookHost.Bootcamp));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(1, (int)body["accepted"]!);
        Assert.Equal(1, (int)body["rejected"]!);
        Assert.Equal("accepted", (string)body["items"]![0]!["status"]!);
        Assert.StartsWith("ce1-", (string)body["items"]![0]!["eventId"]!, StringComparison.Ordinal);
        Assert.Equal("rejected", (string)body["items"]![1]!["status"]!);
        Assert.Contains("unknown activity \"nw-unknown-course\"", (string)body["items"]![1]!["reason"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_repeated_ten_times_gets_the_same_answer_and_issues_once()
    {
        var body = WebhookHost.DocExample(WebhookHost.Moodle);
        var (timestamp, signature) = PartnerSigner.Sign(_host.SecretOf[WebhookHost.Moodle], body, TimeProvider.System.GetUtcNow());
        var answers = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var response = await _host.PostAsync(WebhookHost.Moodle, body, timestamp, signature);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answers.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Single(answers.Distinct());
        Assert.Equal("accepted", (string)JsonNode.Parse(answers[0])!["items"]![0]!["status"]!);
        await _host.DrainAsync();
        Assert.Equal(["umaine-leadership-level-1"], await _host.AchievementsOfAsync("moodle-42"));
        Assert.Single(Directory.GetFiles(Path.Combine(_host.DataFolder, "outbox"), "*.eml"));
    }

    public static TheoryData<string, string, HttpStatusCode, string> Refusals => new()
    {
        { "unsigned", WebhookHost.Moodle, HttpStatusCode.Unauthorized, "webhook-signature-missing" },
        { "timestamp only", WebhookHost.Moodle, HttpStatusCode.Unauthorized, "webhook-signature-missing" },
        { "wrongly signed", WebhookHost.Moodle, HttpStatusCode.Unauthorized, "webhook-signature-invalid" },
        { "signed with another partner's secret", WebhookHost.Moodle, HttpStatusCode.Unauthorized, "webhook-signature-invalid" },
        { "unknown partner", "no-such-partner", HttpStatusCode.Unauthorized, "webhook-signature-invalid" },
        { "malformed signature", WebhookHost.Moodle, HttpStatusCode.BadRequest, "webhook-header-malformed" },
        { "stale", WebhookHost.Moodle, HttpStatusCode.Unauthorized, "webhook-timestamp-stale" },
        { "from the future", WebhookHost.Moodle, HttpStatusCode.Unauthorized, "webhook-timestamp-stale" },
        { "oversized", WebhookHost.Bootcamp, HttpStatusCode.RequestEntityTooLarge, "payload-too-large" },
        { "malformed JSON", WebhookHost.Bootcamp, HttpStatusCode.BadRequest, "malformed-json" },
        { "schema violation", WebhookHost.Bootcamp, HttpStatusCode.UnprocessableEntity, "schema-violation" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_delivery_gets_its_problem_details_and_issues_nothing(string kind, string partner, HttpStatusCode status, string problem)
    {
        var body = partner == WebhookHost.Bootcamp ? WebhookHost.DocExample(WebhookHost.Bootcamp) : WebhookHost.DocExample(WebhookHost.Moodle);
        var now = TimeProvider.System.GetUtcNow();
        var secret = partner == "no-such-partner" ? _host.SecretOf[WebhookHost.Moodle] : _host.SecretOf[partner];
        var (timestamp, signature) = PartnerSigner.Sign(secret, body, now);
        HttpResponseMessage response = kind switch
        {
            "unsigned" => await _host.PostAsync(partner, body, null, null),
            "timestamp only" => await _host.PostAsync(partner, body, timestamp, null),
            "wrongly signed" => await _host.PostAsync(partner, body, timestamp, "sha256=" + new string('0', 64)),
            "signed with another partner's secret" => await _host.PostSignedAsync(partner, body, _host.SecretOf[WebhookHost.Caliper]),
            "unknown partner" => await _host.PostAsync(partner, body, timestamp, signature),
            "malformed signature" => await _host.PostAsync(partner, body, timestamp, "v1=" + signature[7..]),
            "stale" => await _host.PostSignedAsync(partner, body, at: now.AddMinutes(-6)),
            "from the future" => await _host.PostSignedAsync(partner, body, at: now.AddMinutes(6)),
            "oversized" => await _host.PostSignedAsync(partner, Oversized()),
            "malformed JSON" => await _host.PostSignedAsync(partner, "{\"version\": 1, \"completions\": ["u8.ToArray()),
            "schema violation" => await _host.PostSignedAsync(partner, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"nw-data-foundations\"", "42", StringComparison.Ordinal))),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var details = JsonNode.Parse(text)!;
        Assert.Equal("urn:credential-pipeline:problem:" + problem, (string)details["type"]!);
        Assert.Equal((int)status, (int)details["status"]!);
        foreach (var known in _host.SecretOf.Values)
        {
            Assert.DoesNotContain(known, text, StringComparison.Ordinal);
        }
        Assert.Equal(0, await _host.PendingCompletionsAsync());
        await _host.DrainAsync();
        Assert.Empty(await _host.AchievementsOfAsync("moodle-42"));
        Assert.Empty(await _host.AchievementsOfAsync("u-2001"));
    }

    [Fact]
    public async Task A_schema_violation_names_its_JSON_pointer()
    {
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(WebhookHost.DocExample(WebhookHost.Bootcamp)).Replace("\"nw-data-foundations\"", "42", StringComparison.Ordinal));

        var response = await _host.PostSignedAsync(WebhookHost.Bootcamp, body);

        var details = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("/completions/0/activityId", (string)details["pointer"]!);
        Assert.Contains("/completions/0/activityId", (string)details["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task During_a_rotation_both_secrets_verify_and_after_retiring_only_the_new_one()
    {
        var body = WebhookHost.DocExample(WebhookHost.Moodle);
        var old = _host.SecretOf[WebhookHost.Moodle];
        var (_, rotated) = await _host.Secrets.RotateAsync(WebhookHost.Moodle, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, (await _host.PostSignedAsync(WebhookHost.Moodle, body, old)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.PostSignedAsync(WebhookHost.Moodle, body, rotated)).StatusCode);

        await _host.Secrets.RetireAsync(WebhookHost.Moodle, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.PostSignedAsync(WebhookHost.Moodle, body, old)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.PostSignedAsync(WebhookHost.Moodle, body, rotated)).StatusCode);
        await _host.DrainAsync();
        Assert.Equal(["umaine-leadership-level-1"], await _host.AchievementsOfAsync("moodle-42"));
    }

    /// <summary>A pipeline body just over 1 MiB: valid JSON, padded with spaces.</summary>
    private static byte[] Oversized() => Encoding.UTF8.GetBytes("{\"version\": 1, \"completions\": []" + new string(' ', 1024 * 1024) + "}");
}
