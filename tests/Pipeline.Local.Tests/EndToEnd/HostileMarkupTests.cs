using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Pipeline.Core.Stages.Webhooks;
using Pipeline.Local.Admin;
using Pipeline.Local.Hosting;
using Pipeline.Local.Storage;
using Pipeline.Local.Webhooks;

namespace Pipeline.Local.Tests.EndToEnd;

/// <summary>
/// Markup and script in every learner- and partner-supplied field (issue #9): names, email addresses, the catalog's
/// activity, achievement and issuer texts, and names a partner posts by webhook. Every page and document they
/// reach encodes them: the claim page, the verification page, the progress JSON and the claim email's HTML.
/// </summary>
public sealed class HostileMarkupTests
{
    private static string Payload(string field) => $"<script>alert('{field}')</script><img src=x onerror=alert('{field}')>";

    [Fact]
    public async Task Script_in_every_supplied_field_reaches_no_page_document_or_email_unencoded()
    {
        using var pipeline = new LocalPipeline();
        HostileCatalog(pipeline.Paths.CatalogFolder);
        using var runtime = await pipeline.OpenAsync();
        pipeline.Drop("generic/hostile.csv",
        [
            "learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score",
            $"S-HOSTILE,o'brien+{{x}}@example.edu,\"{Payload("given")}\",\"{Payload("family")}\",edlab-resilience-assessment,2025-12-10,passed,A,95",
            "S-MARKUP-EMAIL,<script>alert('email')</script>@example.edu,Eve,Markup,edlab-resilience-assessment,2025-12-10,passed,A,95",
        ]);
        await using var app = LocalPipeline.WebHost(runtime);
        var secret = (await app.Services.GetRequiredService<PartnerSecretStore>().AddAsync("northwind-bootcamp", LocalPipeline.Bounded())).Secret!;
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["version"] = 1,
            ["completions"] = new JsonArray(new JsonObject
            {
                ["learner"] = new JsonObject { ["id"] = "u-hostile", ["email"] = "partner.learner@maine.example.edu", ["givenName"] = Payload("partner-given"), ["familyName"] = Payload("partner-family") },
                ["activityId"] = "nw-data-foundations",
                ["completedAt"] = "2025-12-10T16:00:00Z",
                ["outcome"] = "passed",
            }),
        }.ToJsonString());
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var webhook = await app.Services.GetRequiredService<ReceiveWebhookHandler>()
            .HandleAsync("northwind-bootcamp", timestamp, WebhookSignature.Compute(secret, timestamp, body), body, LocalPipeline.Bounded());
        Assert.Equal(WebhookItemStatus.Accepted, Assert.Single(Assert.IsType<WebhookOutcome.Received>(webhook).Items).Status);

        var ingest = await LocalPipeline.IngestAsync(app.Services, "generic/hostile.csv");
        Assert.Equal((1, 1), (ingest.Counts.Accepted, ingest.Counts.Rejected));
        await app.StartAsync(LocalPipeline.Bounded());
        await QueueDrain.WaitUntilEmptyAsync(app.Services.GetRequiredService<SqliteQueue>(), TimeProvider.System, _ => { }, LocalPipeline.Bounded());
        var adminKey = (await new AdminKeyStore(AdminKeyStore.PathIn(pipeline.Paths), TimeProvider.System).AddAsync("markup-test", LocalPipeline.Bounded()))!;
        using var client = app.GetTestClient();

        var emails = pipeline.Emails().Select(file => MimeMessage.Load(file)).ToList();
        Assert.Equal(2, emails.Count);
        Assert.All(await QueueDrain.PoisonCountsAsync(app.Services.GetRequiredService<SqliteQueue>(), CancellationToken.None), p => Assert.Equal(0, p.Count));
        var documents = new List<(string What, string Text)>();
        foreach (var email in emails)
        {
            var html = email.HtmlBody ?? "";
            documents.Add(($"claim email to {email.To}", html));
            var claimPath = System.Text.RegularExpressions.Regex.Match(html, "https?://[^/\"]+(?<path>/claim/[A-Za-z0-9_-]+)").Groups["path"].Value;
            Assert.NotEmpty(claimPath);
            documents.Add(($"claim page {claimPath}", await GetAsync(client, claimPath, "text/html")));
        }
        var ledger = new SqliteCredentialLedger(runtime.Database);
        foreach (var learner in new[] { "S-HOSTILE", "u-hostile" })
        {
            var credential = Assert.Single(await ledger.GetByLearnerAsync(learner, CancellationToken.None));
            documents.Add(($"verification page of {learner}", await GetAsync(client, $"/credentials/{credential.CredentialId}", "text/html")));
            // The credential document keeps its (signed) strings as issued: it is data, served as JSON that browsers do not sniff.
            using var document = await client.GetAsync(new Uri($"/credentials/{credential.CredentialId}.json", UriKind.Relative));
            Assert.EndsWith("json", document.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(document.Headers.GetValues("X-Content-Type-Options")));
            using var progress = new HttpRequestMessage(HttpMethod.Get, $"/api/learners/{learner}/progress");
            progress.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminKey);
            using var response = await client.SendAsync(progress);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            documents.Add(($"progress JSON of {learner}", await response.Content.ReadAsStringAsync()));
        }

        foreach (var (what, text) in documents)
        {
            Assert.False(text.Contains("<script", StringComparison.OrdinalIgnoreCase), $"{what} holds an unencoded <script");
            Assert.False(text.Contains("<img src=x", StringComparison.OrdinalIgnoreCase), $"{what} holds an unencoded <img");
            // onerror= as text (after an encoded "&lt;img") is harmless; inside a tag it runs.
            Assert.False(System.Text.RegularExpressions.Regex.IsMatch(text, @"<[A-Za-z][^<>]*\bonerror\s*=", System.Text.RegularExpressions.RegexOptions.IgnoreCase),
                $"{what} holds a tag with an onerror= attribute");
        }
        // The fields did reach the pages, encoded: the test sees them, so it would see them unencoded.
        var claimPages = string.Concat(documents.Where(d => d.What.StartsWith("claim page", StringComparison.Ordinal)).Select(d => d.Text));
        foreach (var field in new[] { "given", "achievement-name", "issuer-name", "partner-given" })
        {
            Assert.Contains($"&lt;script&gt;alert(&#x27;{field}&#x27;)", claimPages, StringComparison.Ordinal);
        }
    }

    private static async Task<string> GetAsync(HttpClient client, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return text;
    }

    /// <summary>Markup in the texts of the catalog a learner sees: the activity, achievement and issuer of edlab-resilience.</summary>
    private static void HostileCatalog(string catalog)
    {
        static void Edit(string file, Action<JsonObject> edit)
        {
            var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            edit(json);
            File.WriteAllText(file, json.ToJsonString());
        }
        Edit(Path.Combine(catalog, "activities.json"), a => a["edlab-resilience-assessment"]!["name"] = Payload("activity-name"));
        Edit(Path.Combine(catalog, "activities.json"), a => a["DAT101"]!["name"] = Payload("partner-activity-name"));
        Edit(Path.Combine(catalog, "achievements", "edlab-resilience.json"), a =>
        {
            a["name"] = Payload("achievement-name");
            a["description"] = Payload("achievement-description");
            a["criteria"]!["narrative"] = Payload("achievement-criteria");
        });
        Edit(Path.Combine(catalog, "issuers", "edlab.json"), i =>
        {
            i["name"] = Payload("issuer-name");
            i["description"] = Payload("issuer-description");
        });
    }
}
