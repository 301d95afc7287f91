using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Core.Catalog;
using Pipeline.Local.Bench;
using Pipeline.Local.Hosting;
using Spectre.Console;

namespace Pipeline.Local.Cli;

/// <summary>
/// <c>bench</c>: the whole embedded pipeline on a generated term in a fresh data folder, measured (docs/benchmarks.md).
/// Prints a table and the same figures as JSON; exits 1 when the run did not issue and mail every credential it
/// earned (a poisoned message, a missing email), so CI can run it small without asserting any timing.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var learners = new Option<int>("--learners") { Description = "How many learners the generated term has (~5 rows and ~2.4 credentials each).", DefaultValueFactory = _ => 10_000 };
        var data = new Option<string?>("--data") { Description = "A new or empty folder to run in, kept afterwards (default: a temporary folder, deleted)." };
        var json = new Option<string?>("--json") { Description = "Also write the JSON report to this file." };
        var command = new Command("bench", "Run a generated term end to end in a fresh data folder and print throughput, latency, memory and the signing ceiling.")
        {
            learners,
            data,
            json,
        };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(learners), result.GetValue(data), result.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int learners, string? data, string? jsonFile, CancellationToken cancellationToken)
    {
        if (learners < 1)
        {
            Console.Error.WriteLine($"--learners must be at least 1; found {learners}.");
            return 2;
        }
        var folder = data ?? Path.Combine(Path.GetTempPath(), "pipeline-bench-" + RandomNumberGenerator.GetHexString(12, lowercase: true));
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Console.Error.WriteLine($"--data {folder}: the bench needs a fresh folder; this one is not empty.");
            return 2;
        }
        BenchReport report;
        try
        {
            report = await BenchRunner.RunAsync(LocalPaths.For(folder), learners, message => AnsiConsole.MarkupLine(Markup.Escape(message)), cancellationToken);
        }
        catch (CatalogException exception)
        {
            Console.Error.WriteLine($"The sample catalog has {exception.Errors.Count} error(s): {string.Join("; ", exception.Errors)}");
            return 1;
        }
        finally
        {
            if (data is null && Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        Print(report);
        var json = JsonSerializer.Serialize(report, BenchJsonContext.Default.BenchReport);
        Console.WriteLine(json);
        if (jsonFile is not null)
        {
            await File.WriteAllTextAsync(jsonFile, json, cancellationToken);
        }
        if (report.Poisoned > 0 || report.Credentials == 0 || report.Emails != report.Credentials)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bench: expected every issued credential mailed and no poisoned message; found {report.Credentials} credentials, {report.Emails} emails, {report.Poisoned} poisoned."));
            return 1;
        }
        return 0;
    }

    private static void Print(BenchReport r)
    {
        var table = new Table().Title($"bench: {r.Learners} learners · {Markup.Escape(r.Machine)}").AddColumn(new TableColumn("measure").NoWrap()).AddColumn("value");
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        string F(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);
        Row("rows (accepted)", $"{r.Rows} ({r.RowsAccepted})");
        Row("credentials issued / emails", $"{r.Credentials} / {r.Emails}");
        Row("poisoned messages", r.Poisoned.ToString(CultureInfo.InvariantCulture));
        Row("ingest rows/s", $"{F(r.RowsPerSecond, "0")} ({F(r.IngestSeconds, "0.00")} s)");
        Row("credentials/s", F(r.CredentialsPerSecond));
        Row("emails/s", F(r.EmailsPerSecond));
        Row("wall time: ingest + drain", $"{F(r.WallSeconds, "0.00")} s (drain {F(r.DrainSeconds, "0.00")} s)");
        foreach (var stage in r.Stages)
        {
            Row($"{stage.Stage} p50 / p95", $"{F(stage.P50Milliseconds, "0.00")} / {F(stage.P95Milliseconds, "0.00")} ms ({stage.Count} runs)");
        }
        Row($"peak RSS ({r.PeakRssScope})", $"{F(r.PeakRssMegabytes)} MB");
        Row("peak RSS writing the term", $"{F(r.TermPeakRssMegabytes)} MB");
        Row("CPU seconds (ingest + drain)", F(r.CpuSeconds, "0.00"));
        Row($"sign-only {r.SignAlgorithm}/s ({r.ProcessorCount} cores)", F(r.SignOnlyPerSecond, "0"));
        Row("credentials/s ÷ sign-only", F(r.RatioToSignOnly * 100, "0.0") + " %");
        AnsiConsole.Write(table);
    }
}
