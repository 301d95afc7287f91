using System.Text.RegularExpressions;
using Pipeline.Core.Storage;
using Pipeline.Local.Cli;
using Spectre.Console;

namespace Pipeline.Local.Tests.Cli;

/// <summary>What a newcomer sees in a narrow or redirected console (<c>COLUMNS=80 … | cat</c>).</summary>
public sealed partial class CliOutputTests(DemoDataFolder demo) : IClassFixture<DemoDataFolder>
{
    [Fact]
    public void Demo_prints_each_link_and_path_whole_on_a_line_of_its_own()
    {
        Assert.Equal(0, demo.Demo.ExitCode);
        var lines = demo.Demo.Lines;

        Assert.Contains(lines, line => ClaimLink().IsMatch(line));
        Assert.Contains(lines, line => VerificationLink().IsMatch(line));
        Assert.Contains($"dotnet run --project functions/Pipeline.Local -- serve --data {demo.Path}", lines);
        Assert.Contains(Path.Combine(demo.Path, "outbox"), lines);
        Assert.Contains(lines, line => line.EndsWith(".report.json", StringComparison.Ordinal) && Path.IsPathFullyQualified(line));
    }

    [Fact]
    public void Demo_output_has_no_generic_host_lifetime_lines()
    {
        Assert.DoesNotContain("Application started", demo.Demo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Content root path", demo.Demo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.Hosting.Lifetime", demo.Demo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("shutting down", demo.Demo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_help_ends_with_what_it_checks_and_its_exit_codes_and_the_command_list_keeps_one_line()
    {
        var verify = await CliProcess.RunAsync(demo.WorkingDirectory, "verify", "--help");
        var root = await CliProcess.RunAsync(demo.WorkingDirectory, "--help");

        Assert.Contains("What it checks (the checks of the verification page and POST /api/verify, in the same words):", verify.Lines);
        Assert.Contains(verify.Lines, l => l.StartsWith("Exit code: 0 valid; 1 revoked, expired or invalid; 2 nothing to verify", StringComparison.Ordinal));
        Assert.Contains(root.Lines, l => l.StartsWith("  verify <file-or-url>", StringComparison.Ordinal) && l.EndsWith(VerifyCommandSummary, StringComparison.Ordinal));
        Assert.DoesNotContain("What it checks", root.Output, StringComparison.Ordinal);
    }

    private const string VerifyCommandSummary = "Verify a badge file or URL as the verification page does; exit code 0 only when it is valid.";

    [Fact]
    public void The_credentials_table_keeps_achievement_ids_whole_in_a_console_narrower_than_the_table()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 44;
        const string id = "umaine-data-analytics-level-1";

        console.Write(DemoCommand.CredentialsTable([(id, CredentialState.Issued, 2)]));

        var text = console.Profile.Out.Writer.ToString()!;
        Assert.True(text.Contains(id, StringComparison.Ordinal), text);
    }

    [GeneratedRegex("^http://localhost:5080/claim/[A-Za-z0-9_-]{20,}$")]
    private static partial Regex ClaimLink();

    [GeneratedRegex("^http://localhost:5080/credentials/[A-Za-z0-9_-]{20,}$")]
    private static partial Regex VerificationLink();
}
