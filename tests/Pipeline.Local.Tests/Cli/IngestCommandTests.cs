using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;
using Pipeline.Local.Cli;
using Pipeline.Local.Hosting;
using Pipeline.Local.Tests.TestData;
using Spectre.Console;

namespace Pipeline.Local.Tests.Cli;

public sealed partial class IngestCommandTests : IDisposable
{
    private const string Export =
        "learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score\n" +
        "S900001,ada@example.edu,Ada,Lovelace,ECE420,2026-09-02,passed,A,\n" +
        "S900002,grace@example.edu,Grace,Hopper,AME410,2026-09-01,passed,B,\n";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Source()
    {
        var path = Path.Combine(_folder.Path, "registrar-2026FA.csv");
        File.WriteAllText(path, Export);
        return path;
    }

    private string[] Args(string source, params string[] more) =>
        [source, "--data", Path.Combine(_folder.Path, "data"), "--catalog", Path.Combine(RepositoryPaths.Samples, "catalog"), .. more];

    [Fact]
    public async Task Ingest_copies_the_export_into_the_inbox_and_it_ends_in_sis_processed_byte_for_byte_leaving_the_source()
    {
        var source = Source();

        Assert.Equal(0, await IngestCommand.Create().Parse(Args(source)).InvokeAsync());

        var paths = LocalPaths.For(Path.Combine(_folder.Path, "data"));
        Assert.Equal(Export, await File.ReadAllTextAsync(Path.Combine(paths.Blobs, Containers.SisProcessed, "registrar-2026FA.csv")));
        Assert.False(File.Exists(Path.Combine(paths.Inbox, "registrar-2026FA.csv")));
        Assert.Equal(Export, await File.ReadAllTextAsync(source));
    }

    [Fact]
    public async Task A_dry_run_reads_a_copy_and_writes_nothing_to_the_data_folder()
    {
        var source = Source();

        Assert.Equal(0, await IngestCommand.Create().Parse(Args(source, "--dry-run")).InvokeAsync());

        var paths = LocalPaths.For(Path.Combine(_folder.Path, "data"));
        Assert.False(Directory.Exists(paths.Inbox));
        Assert.False(Directory.Exists(Path.Combine(paths.Blobs, Containers.SisProcessed)));
        Assert.Equal(Export, await File.ReadAllTextAsync(source));
    }

    /// <summary>A console that records what the command prints, as a pipe or a file receives it (no colour, no ANSI).</summary>
    private static (IAnsiConsole Console, StringWriter Output) Recording(int width)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width;
        return (console, output);
    }

    public static TheoryData<string, string, string[]> SampleExports() => new()
    {
        {
            "banner-2025FA.csv", "banner",
            [
                "34 rows: 23 accepted, 3 rejected, 1 duplicate, 4 ignored, 3 skipped.",
                "duplicate: banner-2025FA.csv row 32 repeats row 31 (the same completion)",
                "ignored: activity ENGL110 is in no pathway (2 rows: 23, 28)",
                "ignored: activity HIST110 is in no pathway (1 row: 22)",
                "skipped: withdrawn, incomplete or audited (not a completion) (2 rows: 14, 26)",
                "skipped: audit grade mode (not a completion) (1 row: 25)",
            ]
        },
        {
            "generic-2025FA.csv", "generic",
            [
                "27 rows: 21 accepted, 3 rejected, 0 duplicate, 3 ignored, 0 skipped.",
                "ignored: activity HIST110 is in no pathway (2 rows: 23, 24)",
                "ignored: activity ART105 is in no pathway (1 row: 25)",
            ]
        },
        {
            "canvas-DAT101.csv", "canvas",
            [
                "28 rows: 24 accepted, 2 rejected, 0 duplicate, 0 ignored, 2 skipped.",
                "skipped: Canvas points-possible row (1 row: 2)",
                "skipped: Canvas test student (1 row: 29)",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(SampleExports))]
    public async Task A_dry_run_of_each_sample_export_would_issue_credentials_and_says_why_every_other_row_does_not_count(string sample, string map, string[] expectedLines)
    {
        var (console, output) = Recording(width: 200);

        var exit = await IngestCommand.Create(console).Parse(Args(Path.Combine(RepositoryPaths.Samples, "sis", sample), "--map", map, "--dry-run")).InvokeAsync();

        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.True(exit == 0, output.ToString());
        Assert.All(expectedLines, expected => Assert.Contains(expected, lines));
        var issued = int.Parse(WouldIssue().Match(output.ToString()).Groups["count"].Value, CultureInfo.InvariantCulture);
        Assert.True(issued > 0, output.ToString());
        Assert.Contains(lines, l => l.StartsWith("rejected: " + sample + " row ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ingest_prints_the_report_as_a_file_path_alone_on_its_line_however_narrow_the_console()
    {
        var (console, output) = Recording(width: 40);

        Assert.Equal(0, await IngestCommand.Create(console).Parse(Args(Source())).InvokeAsync());

        var paths = LocalPaths.For(Path.Combine(_folder.Path, "data"));
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var report = Path.Combine(paths.Blobs, Containers.SisReports, "registrar-2026FA.csv.report.json");
        Assert.True(File.Exists(report));
        Assert.Contains(report, lines);
    }

    [Fact]
    public async Task Help_gives_the_data_folders_default_once()
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);

        Assert.Equal(0, await new RootCommand { IngestCommand.Create() }.Parse(["ingest", "--help"]).InvokeAsync(new InvocationConfiguration { Output = output }));

        var data = Assert.Single(output.ToString().Split('\n'), l => l.TrimStart().StartsWith("--data", StringComparison.Ordinal));
        Assert.Single(Regex.Matches(data, "default", RegexOptions.IgnoreCase));
        Assert.Contains($"[default: {LocalPaths.ResolveDefaultDataFolder()}]", data, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"; (?<count>\d+) credential\(s\) would be issued;")]
    private static partial Regex WouldIssue();
}
