using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Pathways;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Storage;
using Pipeline.Local.Hosting;
using Pipeline.Local.Storage;
using Spectre.Console;

namespace Pipeline.Local.Cli;

/// <summary>
/// <c>ingest FILE [--map NAME] [--dry-run]</c>: drops an SIS export into the inbox and runs the pipeline until it has
/// drained; with <c>--dry-run</c>, reads the file and prints what would be issued (new, already issued, not yet
/// earned) and why every other row would not count, without changing anything.
/// </summary>
internal static class IngestCommand
{
    /// <summary>Rejected and duplicate rows printed one by one before the rest are only counted.</summary>
    private const int ListedRows = 20;

    /// <summary>Row numbers printed per ignored activity or skip reason.</summary>
    private const int ListedRowNumbers = 8;

    public static Command Create() => Create(AnsiConsole.Console);

    /// <summary>The command, writing to <paramref name="console"/>.</summary>
    internal static Command Create(IAnsiConsole console)
    {
        var file = CommonOptions.ExistingFile("file", "The SIS export (CSV); a relative path is from the current folder.");
        var map = new Option<string?>("--map") { Description = "The SIS map to read it with (default: chosen by its header)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be issued, and why the other rows would not count; change nothing." };
        var command = new Command("ingest", "Ingest one SIS export.") { CommonOptions.Data, CommonOptions.Catalog, file, map, dryRun };
        command.SetAction(async (result, cancellationToken) =>
        {
            var paths = LocalPaths.For(result.GetRequiredValue(CommonOptions.Data), result.GetValue(CommonOptions.Catalog));
            using var runtime = await CommonOptions.OpenRuntimeAsync(paths, console, cancellationToken);
            if (runtime is null)
            {
                return 1;
            }
            var source = result.GetRequiredValue(file);
            var blobName = result.GetValue(map) is { } mapName ? $"{mapName}/{source.Name}" : source.Name;
            return result.GetValue(dryRun)
                ? await DryRunAsync(console, runtime, source, blobName, cancellationToken)
                : await IngestAsync(console, runtime, source, blobName, cancellationToken);
        });
        return command;
    }

    private static async Task<int> IngestAsync(IAnsiConsole console, PipelineRuntime runtime, FileInfo source, string blobName, CancellationToken cancellationToken)
    {
        using var host = PipelineHosts.BuildWorkerHost(runtime);
        var services = host.Services;
        Drop(source, runtime.Paths.Inbox, blobName);
        var report = await services.GetRequiredService<IngestSisFileHandler>().HandleAsync(Containers.SisInbox, blobName, cancellationToken);
        PrintReport(console, runtime.Paths, report);
        await host.StartAsync(cancellationToken);
        await QueueDrain.WaitUntilEmptyAsync(services.GetRequiredService<SqliteQueue>(), TimeProvider.System, _ => { }, cancellationToken);
        await host.StopAsync(cancellationToken);
        console.MarkupLine("The queues have drained; see the report for every rejected row.");
        return report.Outcome == IngestOutcome.FileRejected ? 1 : 0;
    }

    /// <summary>
    /// Copies the export into an inbox folder, where a SIS drop lands (the folder store types it by its extension): the
    /// kernel copies it, so an export of any size never passes through this process's memory whole.
    /// </summary>
    private static void Drop(FileInfo source, string inboxFolder, string blobName)
    {
        var target = Path.Combine(inboxFolder, blobName.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source.FullName, target, overwrite: true);
    }

    private static void PrintReport(IAnsiConsole console, LocalPaths paths, IngestReport report)
    {
        var c = report.Counts;
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{Markup.Escape(report.File)}: {report.Outcome}; {c.Rows} rows, {c.Accepted} accepted, {c.Rejected} rejected, {c.Duplicate} duplicate, {c.Ignored} ignored, {c.Skipped} skipped."));
        if (report.Problem is { } problem)
        {
            console.MarkupLine($"[red]{Markup.Escape(problem)}[/]");
        }
        if (report.ReportBlob is { } reportBlob)
        {
            CliOutput.Copyable(console, "Report:", Path.Combine(paths.Blobs, Containers.SisReports, reportBlob));
        }
        if (report.RejectedRowsBlob is { } rejectedBlob && c.Rejected > 0)
        {
            CliOutput.Copyable(console, "Rejected rows to fix and re-drop:", Path.Combine(paths.Blobs, Containers.SisReports, rejectedBlob));
        }
    }

    private static async Task<int> DryRunAsync(IAnsiConsole console, PipelineRuntime runtime, FileInfo source, string blobName, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("pipeline-dry-run-");
        try
        {
            var blobs = new FolderBlobStore(scratch.FullName);
            Drop(source, Path.Combine(scratch.FullName, Containers.SisInbox), blobName);
            var reader = new IngestSisFileHandler(blobs, NoMessages.Instance,
                new SisIngestOptions { Maps = runtime.Catalog.SisMaps, IsKnownActivity = runtime.Catalog.IsPathwayActivity },
                TimeProvider.System, NullLogger<IngestSisFileHandler>.Instance);

            var rows = new DryRunRows();
            await foreach (var row in reader.DryRunAsync(Containers.SisInbox, blobName, cancellationToken))
            {
                if (row is SisRowResult.FileRejected f)
                {
                    console.MarkupLine($"[red]{Markup.Escape(f.Problem)}[/]");
                    return 1;
                }
                rows.Add(row, source.Name);
            }
            console.MarkupLine($"Dry run of {Markup.Escape(source.Name)}: nothing was changed.");
            rows.Print(console);
            await PrintWouldIssueAsync(console, runtime, rows.Accepted, cancellationToken);
            return 0;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static async Task PrintWouldIssueAsync(IAnsiConsole console, PipelineRuntime runtime, Dictionary<string, List<CompletionEvent>> accepted, CancellationToken cancellationToken)
    {
        var events = new SqliteEventLedger(runtime.Database);
        var progress = new SqliteProgressLedger(runtime.Database);
        var credentials = new SqliteCredentialLedger(runtime.Database);
        var evaluator = new PathwayEvaluator(runtime.Catalog);
        var wouldIssue = new Dictionary<string, int>(StringComparer.Ordinal);
        var alreadyIssued = new Dictionary<string, int>(StringComparer.Ordinal);
        var nothingNew = 0;
        foreach (var (learnerId, completions) in accepted)
        {
            var known = await events.GetByLearnerAsync(learnerId, cancellationToken);
            var facts = known.Concat(completions).DistinctBy(e => e.Id).ToList();
            var earned = await progress.GetEarnedAsync(learnerId, cancellationToken);
            var awards = evaluator.Evaluate(new LearnerProgress(learnerId, facts, [.. earned.Select(e => new PriorAward(e.AchievementId, e.AwardedAt))]));
            foreach (var award in awards)
            {
                wouldIssue[award.AchievementId] = wouldIssue.GetValueOrDefault(award.AchievementId) + 1;
            }
            foreach (var credential in await credentials.GetByLearnerAsync(learnerId, cancellationToken))
            {
                alreadyIssued[credential.AchievementId] = alreadyIssued.GetValueOrDefault(credential.AchievementId) + 1;
            }
            if (awards.Count == 0)
            {
                nothingNew++;
            }
        }

        var achievements = wouldIssue.Keys.Union(alreadyIssued.Keys).Order(StringComparer.Ordinal).ToList();
        if (achievements.Count == 0)
        {
            console.MarkupLine("No credential would be issued, and none is already issued to these learners.");
        }
        else
        {
            var table = new Table()
                .AddColumn(new TableColumn("achievement").NoWrap())
                .AddColumn(new TableColumn("would issue (new)").RightAligned())
                .AddColumn(new TableColumn("already issued to these learners").RightAligned());
            foreach (var id in achievements)
            {
                table.AddRow(Markup.Escape(id), Cell(wouldIssue.GetValueOrDefault(id)), Cell(alreadyIssued.GetValueOrDefault(id)));
            }
            console.Write(table);
        }
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{accepted.Count} learner(s) with accepted rows; {wouldIssue.Values.Sum()} credential(s) would be issued; {nothingNew} learner(s) would earn nothing new yet (not yet earned, or already issued)."));
    }

    private static string Cell(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>What a dry run read: the accepted completions by learner, and every other row by why it does not count.</summary>
    private sealed class DryRunRows
    {
        private readonly List<string> _rejected = [];
        private readonly List<string> _duplicates = [];
        private readonly SortedDictionary<string, RowGroup> _ignored = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, RowGroup> _skipped = new(StringComparer.Ordinal);
        private int _rows, _accepted, _rejectedCount, _duplicateCount, _ignoredCount, _skippedCount;

        public Dictionary<string, List<CompletionEvent>> Accepted { get; } = new(StringComparer.Ordinal);

        public void Add(SisRowResult row, string file)
        {
            _rows++;
            switch (row)
            {
                case SisRowResult.Accepted a:
                    _accepted++;
                    var learnerId = a.Message.Completion.LearnerId;
                    (Accepted.TryGetValue(learnerId, out var list) ? list : Accepted[learnerId] = []).Add(a.Message.Completion);
                    break;
                case SisRowResult.Rejected r:
                    if (++_rejectedCount <= ListedRows)
                    {
                        _rejected.Add(string.Join("; ", r.Errors.Select(e => e.Describe(file, r.Row))));
                    }
                    break;
                case SisRowResult.Duplicate d:
                    if (++_duplicateCount <= ListedRows)
                    {
                        _duplicates.Add(string.Create(CultureInfo.InvariantCulture, $"{file} row {d.Row} repeats row {d.EarlierRow} (the same completion)"));
                    }
                    break;
                case SisRowResult.Ignored i:
                    _ignoredCount++;
                    Group(_ignored, i.ActivityId).Add(i.Row);
                    break;
                case SisRowResult.Skipped s:
                    _skippedCount++;
                    Group(_skipped, s.Reason).Add(s.Row);
                    break;
            }
        }

        public void Print(IAnsiConsole console)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"{_rows} rows: {_accepted} accepted, {_rejectedCount} rejected, {_duplicateCount} duplicate, {_ignoredCount} ignored, {_skippedCount} skipped."));
            Lines(console, "[yellow]rejected[/]", _rejected, _rejectedCount, "rejected");
            Lines(console, "duplicate", _duplicates, _duplicateCount, "duplicate");
            foreach (var (activity, group) in _ignored)
            {
                console.MarkupLine($"ignored: activity {Markup.Escape(activity)} is in no pathway ({Markup.Escape(group.Describe())})");
            }
            foreach (var (reason, group) in _skipped)
            {
                console.MarkupLine($"skipped: {Markup.Escape(reason)} ({Markup.Escape(group.Describe())})");
            }
        }

        private static void Lines(IAnsiConsole console, string label, List<string> listed, int count, string kind)
        {
            foreach (var line in listed)
            {
                console.MarkupLine($"{label}: {Markup.Escape(line)}");
            }
            if (count > listed.Count)
            {
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"… and {count - listed.Count} more {kind} row(s)."));
            }
        }

        private static RowGroup Group(SortedDictionary<string, RowGroup> groups, string key) =>
            groups.TryGetValue(key, out var group) ? group : groups[key] = new RowGroup();
    }

    /// <summary>How many rows share one reason, and the first few of their row numbers.</summary>
    private sealed class RowGroup
    {
        private readonly List<int> _rows = [];
        private int _count;

        public void Add(int row)
        {
            if (++_count <= ListedRowNumbers)
            {
                _rows.Add(row);
            }
        }

        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"{_count} row{(_count == 1 ? "" : "s")}: {string.Join(", ", _rows)}{(_count > _rows.Count ? ", …" : "")}");
    }

    /// <summary>A dry run sends nothing; the reader never calls it, and would fail loudly if it did.</summary>
    private sealed class NoMessages : IMessageSender
    {
        public static readonly NoMessages Instance = new();

        public Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A dry run sends no messages.");

        public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A dry run sends no messages.");
    }
}
