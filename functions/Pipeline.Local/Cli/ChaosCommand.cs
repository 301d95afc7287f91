using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Pipeline.Local.Chaos;
using Pipeline.Local.Hosting;
using Spectre.Console;

namespace Pipeline.Local.Cli;

/// <summary>
/// <c>chaos</c>: the sample term through the pipeline with faults on every port and the host process killed at
/// random points, then the result checked against the truth computed from the input (docs/reliability.md). The
/// hidden <c>chaos-worker</c> is the process it starts and kills.
/// </summary>
internal static class ChaosCommand
{
    public const string WorkerName = "chaos-worker";

    private static readonly Option<double> Faults = new("--faults") { Description = "Share of port calls that fail, time out, are throttled or slowed (0 to 1).", DefaultValueFactory = _ => 0.1 };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the faults and kill times: the same seed replays the same run.", DefaultValueFactory = _ => 7 };

    public static Command Create()
    {
        var learners = new Option<int>("--learners") { Description = "Learners in the generated term.", DefaultValueFactory = _ => 300 };
        var kills = new Option<int>("--kills") { Description = "How many times the host process is killed.", DefaultValueFactory = _ => 5 };
        var data = new Option<string?>("--data")
        {
            Description = "A new or empty folder to run in, kept afterwards (default: a new temporary folder, deleted when the run holds, kept for inspection when it does not).",
        };
        var command = new Command("chaos", "Run a term with faults and process kills in a folder of its own; check every earned credential is issued and emailed once.")
        {
            data, learners, Faults, kills, Seed,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var named = result.GetValue(data);
            var settings = new ChaosSettings
            {
                DataFolder = Path.GetFullPath(named ?? Path.Combine(Path.GetTempPath(), "pipeline-chaos-" + RandomNumberGenerator.GetHexString(12, lowercase: true))),
                Learners = result.GetValue(learners),
                FaultRate = result.GetValue(Faults),
                Kills = result.GetValue(kills),
                Seed = result.GetValue(Seed),
            };
            if (Directory.Exists(settings.DataFolder) && Directory.EnumerateFileSystemEntries(settings.DataFolder).Any())
            {
                AnsiConsole.MarkupLine($"[red]--data {Markup.Escape(settings.DataFolder)} is not empty: a chaos run needs a fresh folder to compare against the truth (leave --data out for a temporary one).[/]");
                return 2;
            }
            var (log, verdict) = await ChaosRun.RunAsync(settings, new Uri(LocalWebHost.DefaultUrl + "/"), line => AnsiConsole.WriteLine(line), cancellationToken);
            Print(settings, log, verdict);
            if (named is null && verdict.Holds)
            {
                Directory.Delete(settings.DataFolder, recursive: true);
            }
            else
            {
                CliOutput.Copyable("Data folder of the run:", settings.DataFolder);
            }
            return verdict.Holds ? 0 : 1;
        });
        return command;
    }

    public static Command CreateWorker()
    {
        var command = new Command(WorkerName, "The chaos run's worker process (drains the inbox and queues with faults on).") { CommonOptions.Data, Faults, Seed };
        command.Hidden = true;
        command.SetAction((result, cancellationToken) => ChaosWorker.RunAsync(
            LocalPaths.For(result.GetRequiredValue(CommonOptions.Data)), result.GetValue(Faults), result.GetValue(Seed), Console.Out, cancellationToken));
        return command;
    }

    private static void Print(ChaosSettings settings, ChaosLog log, ChaosVerdict verdict)
    {
        var table = new Table().Title("Chaos run").AddColumn(new TableColumn("figure").NoWrap()).AddColumn("value");
        void Row(string name, object value) => table.AddRow(name, Markup.Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
        Row("learners", settings.Learners);
        Row("fault rate / seed", FormattableString.Invariant($"{settings.FaultRate} / {settings.Seed}"));
        Row("port calls", log.Faults.Calls);
        Row("faults injected", log.Faults.Injected);
        Row("  failures / timeouts / throttled / slow", FormattableString.Invariant($"{log.Faults.Failures} / {log.Faults.Timeouts} / {log.Faults.Throttled} / {log.Faults.Slow}"));
        Row("  of which after the write", log.Faults.AfterWrite);
        Row("deliveries duplicated", log.Faults.Duplicates);
        Row("process kills", log.Kills);
        Row("worker runs", log.WorkerRuns);
        Row("poison messages replayed", log.PoisonReplayed);
        Row("accepted rows", verdict.AcceptedRows);
        Row("credentials expected / issued", $"{verdict.CredentialsExpected} / {verdict.CredentialsIssued}");
        Row("emails expected / sent", $"{verdict.EmailsExpected} / {verdict.EmailsSent}");
        Row("poison remaining", verdict.PoisonRemaining);
        Row("violations", verdict.Violations.Count);
        AnsiConsole.Write(table);
        foreach (var violation in verdict.Violations.Take(50))
        {
            AnsiConsole.MarkupLine($"[red]•[/] {Markup.Escape(violation)}");
        }
    }
}
