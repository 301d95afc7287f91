using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Core.Tests.TestData;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Docs;

/// <summary>
/// Every shell command README.md and docs/ show (the <c>sh</c> code blocks, read from the markdown so the docs cannot
/// drift) runs from the repository root as written and exits 0, or is listed below with the reason it cannot run here.
/// Two changes only: <c>dotnet run</c> uses the CLI the test build made (<c>--no-build</c>, same configuration), and
/// the data folder is a temporary one (<c>--data</c> added, <c>.pipeline/</c> replaced), so the checkout's own
/// <c>.pipeline</c> is never touched. Commands run in document order (README first), so the demo's folder is there
/// for the commands after it, as for a reader.
/// </summary>
public sealed partial class DocumentedCommandsTests : IDisposable
{
    private const string CliPrefix = "dotnet run --project functions/Pipeline.Local -- ";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Commands that cannot run on this machine or inside a test, and why; the first match wins.</summary>
    private static readonly (Regex Pattern, string Reason)[] NotRunHere =
    [
        (new("^(azd|az) "), "needs an Azure subscription and a login"),
        (new("^(npm ci|npx) --prefix tools/azurite|^cd functions/Pipeline.Functions$|^func start"),
            "the Functions app on Azurite with Azure Functions Core Tools (tests/Pipeline.Functions.Tests run the app; .ci/run installs Azurite)"),
        (new("^curl .*https://badges\\.example\\.edu"), "needs a deployed host at badges.example.edu, an example domain"),
        (new("^(timestamp|signature)="), "the signing snippet for the curl example; SnippetTests runs it against the embedded host"),
        (new("^(AZURE_CHAOS_[A-Z_]+=\\S+ )*dotnet test "), "a test run (this one is inside one)"),
        (new("^dotnet (run|build) -c Release"), "a Release build of minutes-long runs (.ci/run runs bench --learners 200; docs/benchmarks.md records the results)"),
        (new("^(/tmp/|/usr/bin/time |Pipeline\\.Local |wrk )"), "a recorded benchmark run (docs/benchmarks.md keeps the commands with its figures)"),
        (new("^tests/Pipeline\\.Fuzz/run\\.sh"), "needs afl-fuzz and sharpfuzz (.ci/run installs them and fuzzes every target)"),
        (new("^sqlite3 "), "an operator's backup into /backups with the sqlite3 tool"),
        (new("^" + Regex.Escape(CliPrefix) + "serve( |$)"), "runs until Ctrl+C (tests/Pipeline.Local.Tests/Hosting and the browser tests run the same host)"),
    ];

    /// <summary>First words that make a line a command, in a code block with no language.</summary>
    private static readonly string[] CommandWords =
        ["dotnet ", "cp ", "mkdir ", "curl ", "azd ", "az ", "npm ", "npx ", "func ", "sqlite3 ", "git ", "wrk ", "tests/", "Pipeline.Local "];

    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    private sealed record DocumentedCommand(string File, int Line, string Text)
    {
        public override string ToString() => $"{File}:{Line}: {Text}";
    }

    /// <summary>README.md, then docs/ in path order: each <c>sh</c> block's commands, continuation lines joined, comments dropped.</summary>
    private static List<DocumentedCommand> Commands() =>
        [.. MarkdownFiles().SelectMany(file => Blocks(file).Where(b => b.Language == "sh").SelectMany(b => CommandsIn(file, b)))];

    private static IEnumerable<string> MarkdownFiles() =>
        new[] { Path.Combine(RepositoryPaths.Root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));

    private sealed record Block(string Language, int FirstLine, IReadOnlyList<string> Lines);

    private static IEnumerable<Block> Blocks(string file)
    {
        var lines = File.ReadAllLines(file);
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }
            var language = lines[i][3..].Trim();
            var end = Array.FindIndex(lines, i + 1, l => l.StartsWith("```", StringComparison.Ordinal));
            Assert.True(end > i, $"{Relative(file)}:{i + 1}: a code block that is never closed");
            yield return new Block(language, i + 2, lines[(i + 1)..end]);
            i = end;
        }
    }

    private static IEnumerable<DocumentedCommand> CommandsIn(string file, Block block)
    {
        var text = new StringBuilder();
        var start = 0;
        for (var i = 0; i < block.Lines.Count; i++)
        {
            var line = block.Lines[i].Trim();
            if (text.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }
            if (text.Length == 0)
            {
                start = block.FirstLine + i;
            }
            if (line.EndsWith('\\'))
            {
                text.Append(line[..^1]).Append(' ');
                continue;
            }
            text.Append(TrailingComment().Replace(line, ""));
            yield return new DocumentedCommand(Relative(file), start, text.ToString().Trim());
            text.Clear();
        }
    }

    private static string Relative(string file) => Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/');

    private static string? WhyNotRun(DocumentedCommand command) =>
        NotRunHere.FirstOrDefault(rule => rule.Pattern.IsMatch(command.Text)).Reason;

    /// <summary>The command as run here: the built CLI, the temporary data folder.</summary>
    private string AsRunHere(string command)
    {
        var data = _data.Path;
        var text = command.Replace(".pipeline/", data + "/", StringComparison.Ordinal);
        if (!text.StartsWith(CliPrefix, StringComparison.Ordinal))
        {
            return text;
        }
        var arguments = text[CliPrefix.Length..];
        return $"dotnet run --no-build -c {Configuration} --project functions/Pipeline.Local -- {arguments}"
            + (arguments.Contains("--data", StringComparison.Ordinal) ? "" : $" --data '{data}'");
    }

    /// <summary>The configuration this test was built in (bin/{Configuration}/net10.0/), which built the CLI too.</summary>
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    [Fact]
    public void Every_code_block_with_a_command_is_marked_sh_or_text()
    {
        var unmarked = MarkdownFiles()
            .SelectMany(file => Blocks(file).Where(b => b.Language.Length == 0)
                .SelectMany(b => b.Lines.Select((l, i) => (File: Relative(file), Line: b.FirstLine + i, Text: l.TrimStart()))))
            .Where(l => CommandWords.Any(w => l.Text.StartsWith(w, StringComparison.Ordinal)))
            .Select(l => $"{l.File}:{l.Line}: {l.Text}")
            .ToList();

        Assert.True(unmarked.Count == 0,
            "Code blocks with a command but no language (mark commands ```sh, usage synopses ```text):\n" + string.Join("\n", unmarked));
    }

    [Fact]
    public async Task Every_command_the_README_and_docs_show_runs_from_the_repository_root()
    {
        var commands = Commands();
        var run = commands.Where(c => WhyNotRun(c) is null).ToList();
        var failures = new List<string>();

        foreach (var command in run)
        {
            var (exitCode, output) = await RunAsync(AsRunHere(command.Text));
            if (exitCode != 0)
            {
                failures.Add($"{command}\n  exit code {exitCode}:\n{output}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.Contains(run, c => c.File == "README.md" && c.Text == CliPrefix + "demo");
        Assert.Contains(run, c => c.File == "README.md" && c.Text.StartsWith(CliPrefix + "ingest ", StringComparison.Ordinal));
        Assert.Contains(run, c => c.File == "README.md" && c.Text.StartsWith("cp ", StringComparison.Ordinal));
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string command)
    {
        var start = new ProcessStartInfo("bash", ["-eo", "pipefail", "-c", command])
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        // The test host's MSBuild variables would point the child `dotnet run` at the test run's own build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"timed out after {Timeout}\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, $"$ {command}\n{await stdout}{await stderr}");
    }

    [GeneratedRegex(@"\s+#(\s.*)?$")]
    private static partial Regex TrailingComment();
}
