using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using MimeKit;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;
using Pipeline.Local.Demo;
using Pipeline.Local.Hosting;
using Pipeline.Local.Storage;
using Spectre.Console;

namespace Pipeline.Local.Cli;

/// <summary>
/// <c>demo</c>: from nothing, a whole term end to end — the sample catalog, a generated SIS export with a handful of
/// bad rows, ingest, evaluation, issuance, claim emails — then a summary with links that <c>serve</c> answers.
/// </summary>
internal static partial class DemoCommand
{
    public const string TermFile = "generic/term-2026SP.csv";

    public static Command Create()
    {
        var learners = new Option<int>("--learners") { Description = "How many learners the generated term has.", DefaultValueFactory = _ => 300 };
        var baseUrl = new Option<Uri>("--base-url")
        {
            Description = "Public base URL written into a new catalog (where serve answers).",
            DefaultValueFactory = _ => new Uri(LocalWebHost.DefaultUrl + "/"),
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    return uri;
                }
                result.AddError($"--base-url: expected an absolute http or https URL like http://localhost:5080/, found \"{text}\".");
                return null;
            },
        };
        var command = new Command("demo", "Run a whole sample term end to end and print what it issued.")
        {
            CommonOptions.Data,
            learners,
            baseUrl,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetRequiredValue(CommonOptions.Data), result.GetValue(learners), result.GetRequiredValue(baseUrl), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string data, int learners, Uri baseUrl, CancellationToken cancellationToken)
    {
        if (learners < 1)
        {
            AnsiConsole.MarkupLine($"[red]--learners must be at least 1; found {learners}.[/]");
            return 2;
        }
        var paths = LocalPaths.For(data);
        var installed = SampleCatalogInstaller.EnsureInstalled(paths.CatalogFolder, baseUrl);
        CliOutput.Copyable(installed ? $"Sample catalog written (public base URL {baseUrl.AbsoluteUri}) to:" : "Using the catalog in:", paths.CatalogFolder);

        using var runtime = await CommonOptions.OpenRuntimeAsync(paths, cancellationToken);
        if (runtime is null)
        {
            return 1;
        }
        using var host = PipelineHosts.BuildWorkerHost(runtime);
        var services = host.Services;
        var queue = services.GetRequiredService<SqliteQueue>();
        var emailsBefore = CountEmails(paths);

        var termPath = Path.Combine(paths.Inbox, TermFile.Replace('/', Path.DirectorySeparatorChar));
        await new TermGenerator(runtime.Catalog).WriteAsync(termPath, learners, cancellationToken);
        CliOutput.Copyable($"Term export for {learners} learners dropped at:", termPath);

        var report = await services.GetRequiredService<IngestSisFileHandler>().HandleAsync(Containers.SisInbox, TermFile, cancellationToken);

        await host.StartAsync(cancellationToken);
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("Draining completions → issuance → emails");
                var peak = 1;
                await QueueDrain.WaitUntilEmptyAsync(queue, TimeProvider.System, snapshot =>
                {
                    peak = Math.Max(peak, snapshot.Total);
                    task.Value = 100.0 * (peak - snapshot.Total) / peak;
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"completions {snapshot.Completions,6} · issuance {snapshot.Issuance,6} · emails {snapshot.Emails,6}");
                }, cancellationToken);
                task.Value = 100;
            });
        await host.StopAsync(cancellationToken);
        await services.GetRequiredService<StatusListPublisher>().PublishPendingAsync(cancellationToken);

        await PrintSummaryAsync(runtime, services, report, emailsBefore, cancellationToken);
        return 0;
    }

    private static async Task PrintSummaryAsync(PipelineRuntime runtime, IServiceProvider services, IngestReport report, int emailsBefore, CancellationToken cancellationToken)
    {
        var paths = runtime.Paths;
        var counts = report.Counts;
        var rows = new Table().Title("SIS export").AddColumns("rows", "accepted", "rejected", "duplicate", "ignored", "skipped");
        rows.AddRow(Cell(counts.Rows), Cell(counts.Accepted), Cell(counts.Rejected), Cell(counts.Duplicate), Cell(counts.Ignored), Cell(counts.Skipped));
        AnsiConsole.Write(rows);
        if (report.ReportBlob is { } reportBlob)
        {
            CliOutput.Copyable("Report:", Path.Combine(paths.Blobs, Containers.SisReports, reportBlob));
        }
        if (report.RejectedRowsBlob is { } rejectedBlob && counts.Rejected > 0)
        {
            CliOutput.Copyable("Rejected rows to fix and re-drop:", Path.Combine(paths.Blobs, Containers.SisReports, rejectedBlob));
        }

        AnsiConsole.Write(CredentialsTable(await services.GetRequiredService<SqliteCredentialLedger>().CountByAchievementAsync(cancellationToken)));

        var emails = CountEmails(paths);
        CliOutput.Copyable($"Claim emails: {emails} ({emails - emailsBefore} written by this run) in:", paths.Outbox);
        foreach (var (queueName, count) in await QueueDrain.PoisonCountsAsync(services.GetRequiredService<SqliteQueue>(), cancellationToken))
        {
            AnsiConsole.MarkupLine($"Poison queue {queueName}: {count}{(count > 0 ? " (see docs/operations.md: replay-poison)" : string.Empty)}");
        }
        CliOutput.Copyable("Credentials and baked badges:", Path.Combine(paths.Blobs, Containers.Credentials));

        if (LatestClaim(paths) is var (claimUrl, verifyUrl))
        {
            CliOutput.Copyable("Claim page:", claimUrl);
            CliOutput.Copyable("Verification page:", verifyUrl);
            CliOutput.Copyable("Open them with:", ServeHint(paths));
        }
    }

    /// <summary>Credentials by achievement and state; achievement ids are never broken across lines, however narrow the console.</summary>
    internal static Table CredentialsTable(IReadOnlyList<(string AchievementId, CredentialState State, int Count)> byAchievement)
    {
        var credentials = new Table().Title("Credentials").AddColumn(new TableColumn("achievement").NoWrap()).AddColumns("state", "count");
        foreach (var (achievement, state, count) in byAchievement)
        {
            credentials.AddRow(Markup.Escape(achievement), state.ToString(), Cell(count));
        }
        credentials.AddRow("[bold]total[/]", string.Empty, $"[bold]{byAchievement.Sum(c => c.Count)}[/]");
        return credentials;
    }

    /// <summary>The command that serves this data folder: <c>--data</c> only when it is not the default one.</summary>
    private static string ServeHint(LocalPaths paths) =>
        "dotnet run --project functions/Pipeline.Local -- serve" +
        (string.Equals(paths.DataFolder, Path.GetFullPath(LocalPaths.ResolveDefaultDataFolder()), StringComparison.Ordinal) ? "" : $" --data {Quoted(paths.DataFolder)}");

    private static string Quoted(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;

    private static string Cell(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int CountEmails(LocalPaths paths) =>
        Directory.Exists(paths.Outbox) ? Directory.EnumerateFiles(paths.Outbox, "*.eml").Count() : 0;

    /// <summary>The claim and verification links of the newest email in the outbox (tokens are stored only as hashes).</summary>
    private static (string Claim, string Verify)? LatestClaim(LocalPaths paths)
    {
        if (!Directory.Exists(paths.Outbox))
        {
            return null;
        }
        var newest = new DirectoryInfo(paths.Outbox).EnumerateFiles("*.eml").OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault();
        if (newest is null)
        {
            return null;
        }
        using var message = MimeMessage.Load(newest.FullName);
        var text = message.TextBody ?? string.Empty;
        var claim = ClaimLink().Match(text);
        var verify = VerifyLink().Match(text);
        return claim.Success && verify.Success ? (claim.Value, verify.Value) : null;
    }

    [GeneratedRegex(@"https?://\S+/claim/\S+")]
    private static partial Regex ClaimLink();

    [GeneratedRegex(@"https?://\S+/credentials/\S+")]
    private static partial Regex VerifyLink();
}
