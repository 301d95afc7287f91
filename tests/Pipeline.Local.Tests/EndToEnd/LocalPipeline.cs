using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Storage;
using Pipeline.Local.Demo;
using Pipeline.Local.Hosting;
using Pipeline.Local.Storage;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.EndToEnd;

/// <summary>
/// A real embedded pipeline in a temp data folder: the sample catalog installed for <c>http://localhost/</c> (where
/// the ASP.NET test server's client resolves), a real SQLite file, JWK files, folder blobs and the outbox. Every
/// wait is bounded by <see cref="Timeout"/> so a bug fails the test instead of hanging CI.
/// </summary>
internal sealed class LocalPipeline : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    public const string TermBlob = "generic/term-2026FA.csv";

    private readonly TempFolder _folder = new();

    public LocalPipeline()
    {
        Paths = LocalPaths.For(_folder.Path);
        SampleCatalogInstaller.EnsureInstalled(Paths.CatalogFolder, new Uri("http://localhost/"));
    }

    public LocalPaths Paths { get; }

    public static CancellationToken Bounded()
    {
        var source = new CancellationTokenSource(Timeout);
        return source.Token;
    }

    public Task<PipelineRuntime> OpenAsync() => PipelineRuntime.OpenAsync(Paths, Bounded());

    public static IHost WorkerHost(PipelineRuntime runtime, IReadOnlyDictionary<string, string?>? settings = null) =>
        PipelineHosts.BuildWorkerHost(runtime, builder => builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>()));

    public static WebApplication WebHost(PipelineRuntime runtime) => LocalWebHost.Build(runtime, "http://localhost", builder =>
    {
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:InboxScanInterval"] = "00:00:00.100" });
    });

    /// <summary>Writes a file into <c>sis-inbox</c> (as a registrar would) and returns its bytes.</summary>
    public byte[] Drop(string blobName, IEnumerable<string> lines)
    {
        var path = System.IO.Path.Combine(Paths.Inbox, blobName.Replace('/', System.IO.Path.DirectorySeparatorChar));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var bytes = new UTF8Encoding(false).GetBytes(string.Join("\n", lines) + "\n");
        File.WriteAllBytes(path, bytes);
        return bytes;
    }

    public static Task<IngestReport> IngestAsync(IServiceProvider services, string blobName) =>
        services.GetRequiredService<IngestSisFileHandler>().HandleAsync(Containers.SisInbox, blobName, Bounded());

    /// <summary>Starts the host's workers, waits until every stage queue is empty, stops them.</summary>
    public static async Task RunUntilDrainedAsync(IHost host)
    {
        var cancellationToken = Bounded();
        await host.StartAsync(cancellationToken);
        await QueueDrain.WaitUntilEmptyAsync(host.Services.GetRequiredService<SqliteQueue>(), TimeProvider.System, _ => { }, cancellationToken);
        await host.StopAsync(cancellationToken);
    }

    public static async Task<HashSet<(string Learner, string Achievement)>> IssuedAsync(PipelineRuntime runtime, IEnumerable<string> learners)
    {
        var ledger = new SqliteCredentialLedger(runtime.Database);
        var issued = new HashSet<(string, string)>();
        foreach (var learner in learners.Distinct(StringComparer.Ordinal))
        {
            foreach (var record in await ledger.GetByLearnerAsync(learner, CancellationToken.None))
            {
                Assert.Equal(CredentialState.Issued, record.State);
                Assert.True(issued.Add((record.LearnerId, record.AchievementId)), $"{record.LearnerId} holds {record.AchievementId} twice");
            }
        }
        return issued;
    }

    public string[] Emails() => Directory.Exists(Paths.Outbox) ? [.. Directory.EnumerateFiles(Paths.Outbox, "*.eml").Order(StringComparer.Ordinal)] : [];

    public string[] CredentialFiles() =>
        [.. Directory.EnumerateFiles(System.IO.Path.Combine(Paths.Blobs, Containers.Credentials)).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!];

    /// <summary>
    /// What a correct pipeline must issue for an export in the <c>generic</c> map, computed independently of ingest:
    /// CsvHelper reads the rows, rows a registrar would have to fix are dropped by the documented rules
    /// (docs/sis-ingest.md), and <see cref="PathwayEvaluator"/> runs over each learner's remaining completions.
    /// </summary>
    public static HashSet<(string Learner, string Achievement)> Expected(PipelineCatalog catalog, byte[] csv)
    {
        var lines = Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = Cells(lines[0]);
        var byLearner = new Dictionary<string, List<CompletionEvent>>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var cells = Cells(line);
            string Field(string name) => cells.ElementAtOrDefault(Array.IndexOf(header, name))?.Trim() ?? string.Empty;
            var learner = Field("learner_id");
            var email = Field("email");
            var activity = Field("activity_id");
            var grade = Field("grade");
            var score = Field("score");
            CompletionOutcome? outcome = Field("outcome").ToLowerInvariant() switch
            {
                "passed" or "pass" or "p" => CompletionOutcome.Passed,
                "completed" or "complete" or "c" => CompletionOutcome.Completed,
                "failed" or "fail" or "f" => CompletionOutcome.Failed,
                _ => null,
            };
            var dateOk = DateTimeOffset.TryParseExact(Field("completed_at"), ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"],
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var completedAt);
            var scoreOk = decimal.TryParse(score, NumberStyles.Number, CultureInfo.InvariantCulture, out var scoreValue);
            if (learner.Length == 0 || !email.Contains('@', StringComparison.Ordinal) || outcome is null || !dateOk || (score.Length > 0 && !scoreOk)
                || !catalog.IsPathwayActivity(activity))
            {
                continue;
            }
            var events = byLearner.TryGetValue(learner, out var list) ? list : byLearner[learner] = [];
            events.Add(new CompletionEvent
            {
                Source = "sis:generic",
                LearnerId = learner,
                ActivityId = activity,
                CompletedAt = completedAt,
                Outcome = outcome.Value,
                Grade = grade.Length == 0 ? null : grade,
                Score = score.Length == 0 ? null : scoreValue,
            });
        }
        var evaluator = new PathwayEvaluator(catalog);
        return [.. byLearner.SelectMany(pair => evaluator.Evaluate(new LearnerProgress(pair.Key, pair.Value)).Select(a => (pair.Key, a.AchievementId)))];
    }

    /// <summary>One RFC 4180 record's cells: quoted cells may hold commas, and doubled quotes inside them.</summary>
    private static string[] Cells(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                cell.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }
        cells.Add(cell.ToString());
        return [.. cells];
    }

    public static IEnumerable<string> Learners(byte[] csv) =>
        Encoding.UTF8.GetString(csv).Split('\n').Skip(1).Select(l => l.Split(',')[0].Trim()).Where(l => l.Length > 0);

    public void Dispose() => _folder.Dispose();
}
