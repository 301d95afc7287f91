using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Core.Tests.TestData;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Docs;

/// <summary>
/// Every shell command README.md and docs/ show (the <c>sh</c> code blocks, read from the markdown so the docs cannot
/// drift) runs from the repository root as written and exits 0, or is listed below with the reason it cannot run here.
/// Three changes only: <c>dotnet run</c> uses the CLI the test build made (<c>--no-build</c>, same configuration), the
/// data folder is a temporary one (<c>--data</c> added, <c>.pipeline/</c> replaced), so the checkout's own
/// <c>.pipeline</c> is never touched, and the placeholder <c>ID</c> is the id of a credential the demo issued (a
/// <c>revoke</c> takes one no command before it used, so every command sees a credential in the state a reader's
/// would be in). Commands run in document order (README first), so the demo's folder is there
/// for the commands after it, as for a reader. <c>serve</c>, which runs until Ctrl+C, listens on a free port instead
/// of 5080 and passes once it answers <c>/healthz</c>.
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

    private int _revoked;

    /// <summary>The command as run here: the built CLI, the temporary data folder, a real credential id for <c>ID</c>.</summary>
    private string AsRunHere(string command)
    {
        var data = _data.Path;
        var text = command.Replace(".pipeline/", data + "/", StringComparison.Ordinal);
        if (IdPlaceholder().IsMatch(text))
        {
            var ids = Directory.EnumerateFiles(Path.Combine(data, "blobs", "credentials"), "*.jwt")
                .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
            Assert.True(ids.Count > _revoked + 1, $"{command}: needs a credential the demo issued, and {data} has {ids.Count}");
            var id = text.StartsWith(CliPrefix + "revoke ", StringComparison.Ordinal) ? ids[^(++_revoked)] : ids[0];
            text = IdPlaceholder().Replace(text, id!);
        }
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
            var (exitCode, output) = Serve().IsMatch(command.Text)
                ? await ServeAsync(AsRunHere(command.Text))
                : await RunAsync(AsRunHere(command.Text));
            if (exitCode != 0)
            {
                failures.Add($"{command}\n  exit code {exitCode}:\n{output}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.Contains(run, c => c.File == "README.md" && c.Text == CliPrefix + "demo");
        Assert.Contains(run, c => c.File == "README.md" && c.Text == CliPrefix + "serve");
        Assert.Contains(run, c => c.File == "README.md" && c.Text.StartsWith(CliPrefix + "ingest ", StringComparison.Ordinal));
        Assert.Contains(run, c => c.File == "README.md" && c.Text.StartsWith("cp ", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"(?<=[/ ])ID\b")]
    private static partial Regex IdPlaceholder();

    private static async Task<(int ExitCode, string Output)> RunAsync(string command)
    {
        using var process = Process.Start(StartInfo(command))!;
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

    /// <summary>Starts <c>serve</c> on a free port; 0 once it answers <c>/healthz</c> with 200, then it is stopped.</summary>
    private static async Task<(int ExitCode, string Output)> ServeAsync(string command)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        using var process = Process.Start(StartInfo($"{command} --urls {url}"))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        var healthy = false;
        while (!healthy && !process.HasExited && deadline.Elapsed < Timeout)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(url + "/healthz"));
                healthy = response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
        return (healthy ? 0 : -1, $"$ {command} --urls {url}\n{(healthy ? "" : "never answered /healthz\n")}{await stdout}{await stderr}");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ProcessStartInfo StartInfo(string command)
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
        return start;
    }

    [GeneratedRegex("^dotnet run --project functions/Pipeline.Local -- serve( |$)")]
    private static partial Regex Serve();

    [GeneratedRegex(@"\s+#(\s.*)?$")]
    private static partial Regex TrailingComment();
}
