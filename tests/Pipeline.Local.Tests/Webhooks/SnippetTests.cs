using System.Diagnostics;
using System.Net;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Local.Tests.Webhooks;

/// <summary>The signing snippets of docs/integrations.md, run: their headers are accepted by the real endpoint.</summary>
public sealed class SnippetTests
{
    [Fact]
    public void The_CSharp_snippet_in_the_doc_is_the_compiled_PartnerSigner()
    {
        var source = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "Pipeline.Local.Tests", "Webhooks", "PartnerSigner.cs")).ReplaceLineEndings("\n");

        Assert.Equal(source, WebhookHost.DocBlock("snippet: PartnerSigner.cs"));
    }

    [Fact]
    public async Task The_shell_snippet_signs_a_delivery_the_endpoint_accepts()
    {
        await using var host = await WebhookHost.StartAsync();
        var body = WebhookHost.DocExample(WebhookHost.Caliper);
        var bodyFile = Path.Combine(host.DataFolder, "body.json");
        await File.WriteAllBytesAsync(bodyFile, body);
        var script = WebhookHost.DocBlock("snippet: sign.sh") + "printf '%s %s' \"$timestamp\" \"$signature\"\n";
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["SECRET"] = host.SecretOf[WebhookHost.Caliper], ["BODY_FILE"] = bodyFile },
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        var parts = output.Split(' ');

        var response = await host.PostAsync(WebhookHost.Caliper, body, parts[0], "sha256=" + parts[1]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PartnerSigner.Sign(host.SecretOf[WebhookHost.Caliper], body, DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture))).Signature,
            "sha256=" + parts[1]);
    }
}
