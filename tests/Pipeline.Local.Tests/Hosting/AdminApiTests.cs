using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Tests.Hosting;

/// <summary>The admin API on the embedded host over Kestrel: bearer keys, revoke (one, bulk), progress; revocation seen by verifiers after the publisher runs.</summary>
public sealed class AdminApiTests
{
    [Fact]
    public async Task Revoke_then_publish_verification_API_and_page_report_revoked_and_OB2_answers_410()
    {
        await using var site = await EmbeddedSite.StartAsync();
        var id = (await site.IssuedCredentialIdsAsync())[0];
        var png = await site.Client.GetByteArrayAsync($"/credentials/{id}.png");
        Assert.Equal("valid", await VerdictAsync(site, png));

        using var request = site.Admin(HttpMethod.Post, $"/api/credentials/{id}/revoke", JsonContent.Create(new { reason = "Granted in error" }));
        using var response = await site.Client.SendAsync(request);
        var record = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("revoked", (string?)record["state"]);
        Assert.Equal("Granted in error", (string?)record["revocationReason"]);
        var audit = await site.Services.GetRequiredService<IAuditLog>().GetByCredentialAsync(id, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "revoked" && a.Actor == EmbeddedSite.AdminName && a.Reason == "Granted in error");

        await site.Services.GetRequiredService<StatusListPublisher>().PublishPendingAsync(CancellationToken.None);

        Assert.Equal("revoked", await VerdictAsync(site, png));
        Assert.Contains("<strong>Revoked</strong>", await site.Client.GetStringAsync($"/credentials/{id}"), StringComparison.Ordinal);
        using var ob2 = await site.Client.GetAsync($"/ob2/assertions/{id}");
        Assert.Equal(HttpStatusCode.Gone, ob2.StatusCode);
        Assert.Contains("Granted in error", await ob2.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_or_wrong_bearer_token_is_401_with_a_challenge()
    {
        await using var site = await EmbeddedSite.StartAsync(learners: 2);

        using var missing = await site.Client.PostAsync("/api/credentials/x/revoke", JsonContent.Create(new { reason = "r" }));
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/learners/S100001/progress");
        wrong.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "cpa_not-a-key");
        using var wrongResponse = await site.Client.SendAsync(wrong);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", Assert.Single(missing.Headers.WwwAuthenticate).Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Contains("invalid_token", wrongResponse.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-such-credential", "{\"reason\":\"x\"}", 404)]
    [InlineData("{first}", "{}", 400)]
    [InlineData("{first}", "{\"reason\":", 400)]
    public async Task Revoke_outcome_maps_to_its_problem(string id, string body, int status)
    {
        await using var site = await EmbeddedSite.StartAsync(learners: 4);
        var first = (await site.IssuedCredentialIdsAsync())[0];

        using var request = site.Admin(HttpMethod.Post, $"/api/credentials/{id.Replace("{first}", first, StringComparison.Ordinal)}/revoke", new StringContent(body, Encoding.UTF8, "application/json"));
        using var response = await site.Client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Bulk_revoke_reports_each_row()
    {
        await using var site = await EmbeddedSite.StartAsync();
        var ids = await site.IssuedCredentialIdsAsync();
        var csv = $"credential_id,reason\n{ids[0]},Duplicate record\nno-such-credential,Typo\n{ids[0]},Again\n";

        using var request = site.Admin(HttpMethod.Post, "/api/credentials/revoke", new StringContent(csv, Encoding.UTF8, "text/csv"));
        using var response = await site.Client.SendAsync(request);
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (int)report["revoked"]!);
        Assert.Equal(["revoked", "not-found", "already-revoked"], report["rows"]!.AsArray().Select(r => (string?)r!["outcome"]));
    }

    /// <summary>Issue 21, item 3: a record over 64 KB answered 500 after the rows before it were revoked.</summary>
    [Fact]
    public async Task Bulk_revoke_with_a_record_over_64_KB_is_refused_whole_with_the_row_named_and_revokes_nothing()
    {
        await using var site = await EmbeddedSite.StartAsync(learners: 4);
        var id = (await site.IssuedCredentialIdsAsync())[0];
        var csv = $"credential_id,reason\n{id},Duplicate record\n{id},{new string('r', 70 * 1024)}\n";

        using var request = site.Admin(HttpMethod.Post, "/api/credentials/revoke", new StringContent(csv, Encoding.UTF8, "text/csv"));
        using var response = await site.Client.SendAsync(request);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("urn:credential-pipeline:problem:invalid-rows", (string?)problem["type"]);
        Assert.StartsWith("Nothing was revoked: 1 row to fix first", (string?)problem["detail"], StringComparison.Ordinal);
        var row = Assert.Single(problem["rows"]!.AsArray())!;
        Assert.Equal((3, "rejected"), ((int)row["row"]!, (string?)row["outcome"]));
        Assert.Equal(CredentialState.Issued, (await site.Services.GetRequiredService<ICredentialLedger>().GetAsync(id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Progress_lists_earned_credentials_and_each_achievement_rule_tree()
    {
        await using var site = await EmbeddedSite.StartAsync();
        var id = (await site.IssuedCredentialIdsAsync())[0];
        var learner = (await site.Services.GetRequiredService<ICredentialLedger>().GetAsync(id, CancellationToken.None))!.LearnerId;

        using var request = site.Admin(HttpMethod.Get, $"/api/learners/{learner}/progress");
        using var response = await site.Client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(body["credentials"]!.AsArray(), c => (string?)c!["credentialId"] == id);
        var achievements = body["achievements"]!.AsArray();
        Assert.Contains(achievements, a => (bool)a!["earned"]! && (bool)a["rule"]!["met"]!);
        Assert.All(achievements, a => Assert.False(string.IsNullOrEmpty((string?)a!["rule"]!["description"])));
        using var unknown = site.Admin(HttpMethod.Get, "/api/learners/S999999/progress");
        using var unknownResponse = await site.Client.SendAsync(unknown);
        Assert.Equal(HttpStatusCode.NotFound, unknownResponse.StatusCode);
    }

    private static async Task<string?> VerdictAsync(EmbeddedSite site, byte[] png)
    {
        using var content = new MultipartFormDataContent { { new ByteArrayContent(png), "file", "badge.png" } };
        using var response = await site.Client.PostAsync("/api/verify", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return (string?)JsonNode.Parse(text)!["verdict"];
    }
}
