using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Pipeline.Core.Baking;
using Pipeline.Core.Catalog;
using Pipeline.Core.Status;
using Pipeline.Local.Tests.Hosting;

namespace Pipeline.Browser.Tests.Claim;

/// <summary>
/// The learner's and the employer's path in a real browser against the embedded host on Kestrel: open the claim page
/// from the claim email, download the baked PNG, upload it to the verification page (valid), revoke it through the
/// admin API (revoked after the publisher runs), upload a tampered copy (why it failed); axe-core on each page.
/// </summary>
public sealed class ClaimAndVerifyBrowserTests
{
    [Fact]
    public async Task Claim_download_upload_revoke_and_tamper_in_Chromium()
    {
        await using var site = await EmbeddedSite.StartAsync(learners: 6);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = site.Address.AbsoluteUri,
            AcceptDownloads = true,
            // Lets axe-core be injected into our pages, whose CSP allows no script at all.
            BypassCSP = true,
            ViewportSize = new ViewportSize { Width = 480, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var email = site.ClaimEmails()[0];

        // The claim page, from the emailed link.
        await page.GotoAsync(email.ClaimPath);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        Assert.Empty(await Chromium.AxeViolationsAsync(page));
        await Chromium.ScreenshotAsync(page, "claim-page");

        // Download the baked PNG.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Badge image (PNG)" }).ClickAsync());
        var pngPath = Path.Combine(Path.GetTempPath(), $"badge-{Environment.ProcessId}.png");
        await download.SaveAsAsync(pngPath);
        var png = await File.ReadAllBytesAsync(pngPath);
        var baked = Bakery.Unbake(png);
        Assert.True(baked.Succeeded, baked.Error?.ToString());
        var credentialId = CredentialIdOf(baked.Value.Payload);

        // Upload it on the verification page: valid.
        await page.GotoAsync($"/credentials/{credentialId}");
        Assert.Empty(await Chromium.AxeViolationsAsync(page));
        await UploadAsync(page, pngPath);
        await Expect(page.Locator(".verdict")).ToContainTextAsync("Valid");
        Assert.Empty(await Chromium.AxeViolationsAsync(page));
        await Chromium.ScreenshotAsync(page, "verification-valid");

        // Revoke through the admin API; the publisher's next run makes it visible.
        using (var revoke = site.Admin(HttpMethod.Post, $"/api/credentials/{credentialId}/revoke", new StringContent("{\"reason\":\"Awarded in error\"}", Encoding.UTF8, "application/json")))
        using (var response = await site.Client.SendAsync(revoke))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        await site.Services.GetRequiredService<StatusListPublisher>().PublishPendingAsync(CancellationToken.None);
        await page.GotoAsync($"/credentials/{credentialId}");
        await UploadAsync(page, pngPath);
        await Expect(page.Locator(".verdict")).ToContainTextAsync("Revoked");
        await Chromium.ScreenshotAsync(page, "verification-revoked");

        // A tampered copy: one character of the signed payload changed, baked again.
        var tamperedPath = Path.Combine(Path.GetTempPath(), $"tampered-{Environment.ProcessId}.png");
        await File.WriteAllBytesAsync(tamperedPath, Tamper(site, baked.Value.Payload));
        await page.GotoAsync($"/credentials/{credentialId}");
        await UploadAsync(page, tamperedPath);
        await Expect(page.Locator(".verdict")).ToContainTextAsync("Invalid");
        await Expect(page.Locator(".checks li", new() { HasText = "Failed: Signature." })).ToBeVisibleAsync();
        Assert.Empty(await Chromium.AxeViolationsAsync(page));
        await Chromium.ScreenshotAsync(page, "verification-tampered");

        // The claim email as a mail client shows its HTML body.
        await page.SetContentAsync(email.Html);
        await Chromium.ScreenshotAsync(page, "claim-email");

        File.Delete(pngPath);
        File.Delete(tamperedPath);
    }

    [Fact]
    public async Task Expired_link_page_asks_for_a_new_link_and_answers_check_your_email_in_Chromium()
    {
        await using var site = await EmbeddedSite.StartAsync(learners: 1);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = site.Address.AbsoluteUri,
            BypassCSP = true,
            ViewportSize = new ViewportSize { Width = 480, Height = 900 },
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/claim/an-expired-or-unknown-token");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("not valid");
        Assert.Empty(await Chromium.AxeViolationsAsync(page));
        await Chromium.ScreenshotAsync(page, "claim-link-expired");

        await page.GetByLabel("Email address").FillAsync("learner@example.edu");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a new link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Check your email");
        await Expect(page.Locator("main")).ToContainTextAsync("If we found a badge for this address, we have sent a new link");
        Assert.Empty(await Chromium.AxeViolationsAsync(page));
        await Chromium.ScreenshotAsync(page, "claim-new-link-sent");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static async Task UploadAsync(IPage page, string file)
    {
        await page.GetByLabel("Badge image (PNG or SVG").SetInputFilesAsync(file);
        // Wait for the form's own answer, not for a URL: the second upload posts to the URL the page is already on.
        var answered = page.WaitForResponseAsync(r => r.Request.Method == "POST" && r.Url.EndsWith("/credentials/verify", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify badge" }).ClickAsync();
        await answered;
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    private static string CredentialIdOf(string jwt)
    {
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1]))!;
        var id = (string)(payload["jti"] ?? payload["id"])!;
        return id[(id.LastIndexOf('/') + 1)..];
    }

    private static byte[] Tamper(EmbeddedSite site, string jwt)
    {
        var parts = jwt.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        var name = (string)payload["name"]!;
        payload["name"] = (name[0] == 'X' ? 'Y' : 'X') + name[1..];
        var tampered = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
        var catalog = site.Services.GetRequiredService<PipelineCatalog>();
        var art = File.ReadAllBytes(catalog.ResolvePath(catalog.Achievements.Values.First().ImagePngPath));
        return PngBakery.Bake(art, BakedCredential.Ob3Jwt(tampered)).Value!;
    }
}
