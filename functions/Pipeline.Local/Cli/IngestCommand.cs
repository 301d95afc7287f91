using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Core.Catalog;
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
/// earned) without changing anything.
/// </summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The SIS export (CSV)." };
        file.AcceptExistingOnly();
        var map = new Option<string?>("--map") { Description = "The SIS map to read it with (default: chosen by its header)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be issued; change nothing." };
        var command = new Command("ingest", "Ingest one SIS export.") { CommonOptions.Data, CommonOptions.Catalog, file, map, dryRun };
        command.SetAction(async (result, cancellationToken) =>
        {
            var paths = LocalPaths.For(result.GetRequiredValue(CommonOptions.Data), result.GetValue(CommonOptions.Catalog));
            using var runtime = await CommonOptions.OpenRuntimeAsync(paths, cancellationToken);
            if (runtime is null)
            {
                return 1;
            }
            var source = result.GetRequiredValue(file);
            var blobName = result.GetValue(map) is { } mapName ? $"{mapName}/{source.Name}" : source.Name;
            return result.GetValue(dryRun)
                ? await DryRunAsync(runtime, source, blobName, cancellationToken)
                : await IngestAsync(runtime, source, blobName, cancellationToken);
        });
        return command;
    }

    private static async Task<int> IngestAsync(PipelineRuntime runtime, FileInfo source, string blobName, CancellationToken cancellationToken)
    {
        using var host = PipelineHosts.BuildWorkerHost(runtime);
        var services = host.Services;
        Drop(source, runtime.Paths.Inbox, blobName);
        var report = await services.GetRequiredService<IngestSisFileHandler>().HandleAsync(Containers.SisInbox, blobName, cancellationToken);
        PrintReport(report);
        await host.StartAsync(cancellationToken);
        await QueueDrain.WaitUntilEmptyAsync(services.GetRequiredService<SqliteQueue>(), TimeProvider.System, _ => { }, cancellationToken);
        await host.StopAsync(cancellationToken);
        AnsiConsole.MarkupLine("The queues have drained; see the report for every rejected row.");
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

    private static void PrintReport(IngestReport report)
    {
        var c = report.Counts;
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{Markup.Escape(report.File)}: {report.Outcome}; {c.Rows} rows, {c.Accepted} accepted, {c.Rejected} rejected, {c.Duplicate} duplicate, {c.Ignored} ignored, {c.Skipped} skipped."));
        if (report.Problem is { } problem)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(problem)}[/]");
        }
        if (report.ReportBlob is { } reportBlob)
        {
            AnsiConsole.MarkupLine($"Report: {Containers.SisReports}/{Markup.Escape(reportBlob)}");
        }
    }

    private static async Task<int> DryRunAsync(PipelineRuntime runtime, FileInfo source, string blobName, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("pipeline-dry-run-");
        try
        {
            var blobs = new FolderBlobStore(scratch.FullName);
            Drop(source, Path.Combine(scratch.FullName, Containers.SisInbox), blobName);
            var reader = new IngestSisFileHandler(blobs, NoMessages.Instance,
                new SisIngestOptions { Maps = runtime.Catalog.SisMaps, IsKnownActivity = runtime.Catalog.IsPathwayActivity },
                TimeProvider.System, NullLogger<IngestSisFileHandler>.Instance);

            var accepted = new Dictionary<string, List<CompletionEvent>>(StringComparer.Ordinal);
            var rejected = 0;
            await foreach (var row in reader.DryRunAsync(Containers.SisInbox, blobName, cancellationToken))
            {
                switch (row)
                {
                    case SisRowResult.Accepted a:
                        var list = accepted.TryGetValue(a.Message.Completion.LearnerId, out var existing) ? existing : accepted[a.Message.Completion.LearnerId] = [];
                        list.Add(a.Message.Completion);
                        break;
                    case SisRowResult.Rejected r:
                        rejected++;
                        if (rejected <= 20)
                        {
                            AnsiConsole.MarkupLine($"[yellow]rejected[/] {Markup.Escape(string.Join("; ", r.Errors.Select(e => e.Describe(source.Name, r.Row))))}");
                        }
                        break;
                    case SisRowResult.FileRejected f:
                        AnsiConsole.MarkupLine($"[red]{Markup.Escape(f.Problem)}[/]");
                        return 1;
                }
            }
            await PrintWouldIssueAsync(runtime, accepted, rejected, cancellationToken);
            return 0;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static async Task PrintWouldIssueAsync(PipelineRuntime runtime, Dictionary<string, List<CompletionEvent>> accepted, int rejected, CancellationToken cancellationToken)
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

        var table = new Table().Title("Dry run: nothing was changed").AddColumns("achievement", "would issue (new)", "already issued to these learners");
        foreach (var id in wouldIssue.Keys.Union(alreadyIssued.Keys).Order(StringComparer.Ordinal))
        {
            table.AddRow(Markup.Escape(id), Cell(wouldIssue.GetValueOrDefault(id)), Cell(alreadyIssued.GetValueOrDefault(id)));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{accepted.Count} learner(s) in the file; {nothingNew} would earn nothing new yet (not yet earned, or already issued); {rejected} row(s) rejected."));
    }

    private static string Cell(int value) => value.ToString(CultureInfo.InvariantCulture);

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
