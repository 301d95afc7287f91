using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Core.Catalog;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Local.Tests.Hosting;

/// <summary>
/// Issue 21 on the embedded host over Kestrel: a credential it issued, re-signed with the attacker's own key in the
/// JWT header (<see cref="ForgedCredentials"/>), is invalid through <c>POST /api/verify</c> and the page upload; and the
/// host does not name its server software.
/// </summary>
public sealed class ForgedCredentialOnKestrelTests
{
    private static async Task<string> ForgeAsync(EmbeddedSite site, ForgedCredentials forger)
    {
        var id = (await site.IssuedCredentialIdsAsync())[0];
        var genuine = await site.Client.GetStringAsync($"/credentials/{id}.jwt");
        return forger.WithHeaderJwk(ForgedCredentials.Impersonating(genuine));
    }

    [Fact]
    public async Task Forged_credential_with_the_attackers_header_jwk_is_invalid_through_the_API_and_the_page()
    {
        await using var site = await EmbeddedSite.StartAsync();
        using var forger = new ForgedCredentials();
        var forged = await ForgeAsync(site, forger);
        var catalog = site.Services.GetRequiredService<PipelineCatalog>();
        var art = await File.ReadAllBytesAsync(catalog.ResolvePath(catalog.Achievements.Values.First().ImagePngPath));

        using var api = await site.Client.PostAsync(new Uri("/api/verify", UriKind.Relative), new StringContent(forged, Encoding.ASCII, "application/jwt"));
        var body = JsonNode.Parse(await api.Content.ReadAsStringAsync())!;
        using var upload = new MultipartFormDataContent { { new ByteArrayContent(ForgedCredentials.BakePng(art, forged)), "file", "badge.png" } };
        using var page = await site.Client.PostAsync(new Uri("/credentials/verify", UriKind.Relative), upload);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal("invalid", (string?)body["verdict"]);
        var key = body["checks"]!.AsArray().Single(c => (string?)c!["code"] == "jwt-key")!;
        Assert.Equal("failed", (string?)key["outcome"]);
        Assert.EndsWith("does not publish that key: anyone could have signed it.", (string?)key["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<strong>Invalid</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("This badge is authentic", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_sends_no_Server_header()
    {
        await using var site = await EmbeddedSite.StartAsync(learners: 1);

        using var health = await site.Client.GetAsync(new Uri("/health", UriKind.Relative));
        using var verify = await site.Client.PostAsync(new Uri("/api/verify", UriKind.Relative), new StringContent("not a badge", Encoding.ASCII, "text/plain"));

        Assert.Empty(health.Headers.Server);
        Assert.Empty(verify.Headers.Server);
        Assert.False(health.Headers.Contains("Server"));
    }
}
