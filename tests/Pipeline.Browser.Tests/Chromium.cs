using System.Text.Json;
using Microsoft.Playwright;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Browser.Tests;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, or <c>CHROMIUM_PATH</c>) driven by Playwright; no browser is ever
/// downloaded. axe-core comes from <c>tests/browser/node_modules</c> (<c>npm ci</c> in <c>tests/browser</c>).
/// Screenshots go to <c>docs/screenshots</c> when <c>UPDATE_SCREENSHOTS=1</c> (then review the diff), else to a temporary
/// folder, so a test run never changes the checkout.
/// </summary>
internal static class Chromium
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static string AxeScript => Path.Combine(RepositoryPaths.Root, "tests", "browser", "node_modules", "axe-core", "axe.min.js");

    public static string Screenshots { get; } = Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1"
        ? Path.Combine(RepositoryPaths.Root, "docs", "screenshots")
        : Directory.CreateTempSubdirectory("pipeline-screenshots-").FullName;

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Assert.True(File.Exists(ExecutablePath), $"Chromium not found at {ExecutablePath}: apt-get install chromium, or set CHROMIUM_PATH.");
        Assert.True(File.Exists(AxeScript), $"axe-core not found at {AxeScript}: run npm ci in tests/browser.");
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }

    /// <summary>Runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the page; returns each violation as "rule: help (targets)".</summary>
    public static async Task<IReadOnlyList<string>> AxeViolationsAsync(IPage page)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = AxeScript });
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
              return result.violations.map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')');
            }
            """);
        return [.. json.EnumerateArray().Select(v => v.GetString() ?? "")];
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true, Type = ScreenshotType.Png });
}
