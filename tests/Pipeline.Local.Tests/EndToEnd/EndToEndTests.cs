using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pipeline.Core.Baking;
using Pipeline.Core.Contracts;
using Pipeline.Core.Credentials;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;
using Pipeline.Local.Cli;
using Pipeline.Local.Demo;
using Pipeline.Local.Hosting;
using Pipeline.Local.Storage;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.EndToEnd;

/// <summary>Issue #4's acceptance: real SQLite, real keys, real files, the real hosts, a generated term.</summary>
public sealed class EndToEndTests
{
    private const int Learners = 40;

    [Fact]
    public async Task A_sample_term_issues_exactly_the_earned_credentials_each_verifiable_over_http_with_one_email()
    {
        using var pipeline = new LocalPipeline();
        using var runtime = await pipeline.OpenAsync();
        var csv = pipeline.Drop(LocalPipeline.TermBlob, new TermGenerator(runtime.Catalog).Rows(Learners));
        var expected = LocalPipeline.Expected(runtime.Catalog, csv);
        await using var app = LocalPipeline.WebHost(runtime);

        await LocalPipeline.IngestAsync(app.Services, LocalPipeline.TermBlob);
        await app.StartAsync(LocalPipeline.Bounded());
        await QueueDrain.WaitUntilEmptyAsync(app.Services.GetRequiredService<SqliteQueue>(), TimeProvider.System, _ => { }, LocalPipeline.Bounded());

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), (await LocalPipeline.IssuedAsync(runtime, LocalPipeline.Learners(csv))).Order());
        Assert.Equal(expected.Count, pipeline.Emails().Length);
        using var client = app.GetTestClient();
        var keys = new JsonWebKeySet(await client.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative))).GetSigningKeys();
        var schema = JsonSchema.FromText(File.ReadAllText(RepositoryPaths.Standard("ob3", "schemas", "ob_v3p0_achievementcredential_schema.json")),
            new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        var ledger = new SqliteCredentialLedger(runtime.Database);
        foreach (var learner in LocalPipeline.Learners(csv).Distinct())
        {
            foreach (var record in await ledger.GetByLearnerAsync(learner, CancellationToken.None))
            {
                var id = record.CredentialId;
                var jwt = await client.GetStringAsync(new Uri($"/credentials/{id}.jwt", UriKind.Relative));
                var validation = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
                {
                    IssuerSigningKeys = keys,
                    ValidateAudience = false,
                    ValidateIssuer = false,
                    ValidateLifetime = false,
                });
                Assert.True(validation.IsValid, $"{id}: {validation.Exception?.Message}");
                using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/credentials/{id}.json", UriKind.Relative)));
                Assert.True(schema.Evaluate(json.RootElement).IsValid, $"{id}.json does not validate against the OB 3.0 schema");
                var png = PngBakery.Unbake(await client.GetByteArrayAsync(new Uri($"/credentials/{id}.png", UriKind.Relative)));
                Assert.Equal(jwt, png.Value?.Payload);
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/credentials/{id}", UriKind.Relative));
                request.Headers.Accept.ParseAdd("text/html");
                using var page = await client.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                Assert.Contains("Valid", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
        await app.StopAsync(LocalPipeline.Bounded());
    }

    [Fact]
    public async Task Dropping_the_same_file_again_issues_and_sends_nothing()
    {
        using var pipeline = new LocalPipeline();
        using var runtime = await pipeline.OpenAsync();
        var lines = new TermGenerator(runtime.Catalog).Rows(Learners).ToList();
        using (var host = LocalPipeline.WorkerHost(runtime))
        {
            pipeline.Drop(LocalPipeline.TermBlob, lines);
            await LocalPipeline.IngestAsync(host.Services, LocalPipeline.TermBlob);
            await LocalPipeline.RunUntilDrainedAsync(host);
        }
        var csv = pipeline.Drop(LocalPipeline.TermBlob, lines);
        var issued = await LocalPipeline.IssuedAsync(runtime, LocalPipeline.Learners(csv));
        var emails = Snapshot(pipeline.Emails());
        var files = Snapshot([.. Directory.EnumerateFiles(pipeline.Paths.Blobs, "*", SearchOption.AllDirectories).Where(f => !f.Contains("sis-", StringComparison.Ordinal))]);

        using (var host = LocalPipeline.WorkerHost(runtime))
        {
            var report = await LocalPipeline.IngestAsync(host.Services, LocalPipeline.TermBlob);
            Assert.True(report.Counts.Accepted > 0);
            await LocalPipeline.RunUntilDrainedAsync(host);
        }

        Assert.Equal(issued.Order(), (await LocalPipeline.IssuedAsync(runtime, LocalPipeline.Learners(csv))).Order());
        Assert.Equal(emails, Snapshot(pipeline.Emails()));
        Assert.Equal(files, Snapshot([.. Directory.EnumerateFiles(pipeline.Paths.Blobs, "*", SearchOption.AllDirectories).Where(f => !f.Contains("sis-", StringComparison.Ordinal))]));
    }

    [Fact]
    public async Task A_host_stopped_midway_and_restarted_on_the_same_folder_ends_with_each_credential_once_and_one_email_each()
    {
        using var pipeline = new LocalPipeline();
        byte[] csv;
        using (var runtime = await pipeline.OpenAsync())
        {
            csv = pipeline.Drop(LocalPipeline.TermBlob, new TermGenerator(runtime.Catalog).Rows(Learners));
            using var host = LocalPipeline.WorkerHost(runtime);
            await LocalPipeline.IngestAsync(host.Services, LocalPipeline.TermBlob);
            var queue = host.Services.GetRequiredService<SqliteQueue>();
            var cancellationToken = LocalPipeline.Bounded();
            await host.StartAsync(cancellationToken);
            while (await queue.CountAsync(Queues.Issuance, cancellationToken) == 0)
            {
                await Task.Delay(10, cancellationToken);
            }
            await host.StopAsync(cancellationToken);
            Assert.True((await QueueDrain.CountAsync(queue, cancellationToken)).Total > 0, "the host drained before it was stopped; nothing was interrupted");
        }

        using (var runtime = await pipeline.OpenAsync())
        {
            using var host = LocalPipeline.WorkerHost(runtime);
            await LocalPipeline.RunUntilDrainedAsync(host);
            var expected = LocalPipeline.Expected(runtime.Catalog, csv);
            Assert.Equal(expected.Order(), (await LocalPipeline.IssuedAsync(runtime, LocalPipeline.Learners(csv))).Order());
            Assert.Equal(expected.Count, pipeline.Emails().Length);
            Assert.All(await QueueDrain.PoisonCountsAsync(host.Services.GetRequiredService<SqliteQueue>(), CancellationToken.None), p => Assert.Equal(0, p.Count));
        }
    }

    [Fact]
    public async Task A_malformed_file_is_reported_row_by_row_and_its_good_rows_still_issue()
    {
        using var pipeline = new LocalPipeline();
        using var runtime = await pipeline.OpenAsync();
        const string blob = "generic/registrar-fixes.csv";
        var csv = pipeline.Drop(blob,
        [
            "learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score",
            "S900001,ada@example.edu,Ada,Lovelace,AME410,2026-09-01,passed,B,",
            "S900001,ada@example.edu,Ada,Lovelace,ECE420,2026-31-12,passed,A,",
            "S900001,ada@example.edu,Ada,Lovelace,ECE420,2026-09-02,passed,A,",
            "S900002,,Grace,Hopper,AME410,2026-09-01,passed,B,",
            "S900001,ada@example.edu,Ada,Lovelace,AME430,2026-09-03,perhaps,C,",
            ",nobody@example.edu,No,Body,AME410,2026-09-01,passed,B,",
            "S900001,ada@example.edu,Ada,Lovelace,AME430,2026-09-03,passed,C,ninety",
            "S900001,ada@example.edu,Ada,Lovelace,AME430,2026-09-03,passed,C,",
            "S900003,not-an-email,Alan,Turing,AME410,2026-09-01,passed,B,",
        ]);
        using var host = LocalPipeline.WorkerHost(runtime);

        var report = await LocalPipeline.IngestAsync(host.Services, blob);
        await LocalPipeline.RunUntilDrainedAsync(host);

        Assert.Equal((9, 3, 6), (report.Counts.Rows, report.Counts.Accepted, report.Counts.Rejected));
        var reportPath = Path.Combine(pipeline.Paths.Blobs, Containers.SisReports, report.ReportBlob!);
        Assert.Equal("registrar-fixes.csv.report.json", Path.GetFileName(reportPath));
        var rejections = JsonNode.Parse(File.ReadAllText(reportPath))!["rejections"]!.AsArray();
        var listed = rejections.Select(r => ((int)r!["row"]!, (string?)r["column"], (string?)r["found"])).ToList();
        Assert.Equal([3, 5, 6, 7, 8, 10], listed.Select(r => r.Item1).Distinct().Order());
        Assert.Contains((3, "completed_at", "2026-31-12"), listed);
        Assert.Contains((6, "outcome", "perhaps"), listed);
        Assert.Contains((8, "score", "ninety"), listed);
        Assert.Contains((10, "email", "not-an-email"), listed);
        Assert.All(rejections, r => Assert.False(string.IsNullOrWhiteSpace((string?)r!["expected"])));
        var rejectedCsv = File.ReadAllLines(Path.Combine(pipeline.Paths.Blobs, Containers.SisReports, report.RejectedRowsBlob!));
        Assert.Equal(7, rejectedCsv.Length);
        Assert.Contains("error", rejectedCsv[0], StringComparison.Ordinal);
        Assert.Equal(LocalPipeline.Expected(runtime.Catalog, csv).Order(), (await LocalPipeline.IssuedAsync(runtime, LocalPipeline.Learners(csv))).Order());
        Assert.Equal([("S900001", "arizona-robotics")], (await LocalPipeline.IssuedAsync(runtime, LocalPipeline.Learners(csv))).ToList());
        Assert.Single(pipeline.Emails());
    }

    [Fact]
    public async Task Emails_that_keep_failing_land_in_poison_with_the_reason_and_replay_after_the_fix_sends_each_once()
    {
        using var pipeline = new LocalPipeline();
        byte[] csv;
        using var refusing = RefusingPort();
        using (var runtime = await pipeline.OpenAsync())
        {
            csv = pipeline.Drop(LocalPipeline.TermBlob, new TermGenerator(runtime.Catalog).Rows(6, badRows: 0));
            using var host = LocalPipeline.WorkerHost(runtime, new Dictionary<string, string?>
            {
                ["Pipeline:Mail"] = "Smtp",
                // The limit applies to every queue: 1 poisoned an issuance message on any transient fault under
                // parallel load (a credential left Pending, seen once in CI); three quick attempts still poison
                // every email, since the refused port fails each one.
                ["Pipeline:MaxDequeueCount"] = "3",
                ["Smtp:Host"] = "127.0.0.1",
                ["Smtp:Port"] = ((IPEndPoint)refusing.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Smtp:Security"] = "None",
                ["Smtp:Timeout"] = "00:00:05",
            });
            await LocalPipeline.IngestAsync(host.Services, LocalPipeline.TermBlob);
            await LocalPipeline.RunUntilDrainedAsync(host);

            var issued = (await LocalPipeline.IssuedAsync(runtime, LocalPipeline.Learners(csv)))
                .Select(c => CredentialId.Compute(runtime.Catalog.IssuerOf(runtime.Catalog.Achievements[c.Achievement]).Id, c.Achievement, c.Learner, awardPeriod: null).Value);
            var queue = host.Services.GetRequiredService<SqliteQueue>();
            var poisoned = await queue.PeekAsync(Queues.Emails + Queues.PoisonSuffix, SqliteQueue.MaxMessagesPerReceive, CancellationToken.None);
            Assert.NotEmpty(poisoned);
            Assert.Equal(issued.Order(StringComparer.Ordinal), poisoned.Select(p => StageMessages.DecodeSendClaimEmail(p.Body).CredentialId).Distinct().Order(StringComparer.Ordinal));
            Assert.All(poisoned, p => Assert.Contains("Socket", p.PoisonReason, StringComparison.Ordinal));
            Assert.Empty(pipeline.Emails());
        }

        Assert.Equal(0, await ReplayPoisonCommand.Create().Parse(["--data", pipeline.Paths.DataFolder, Queues.Emails]).InvokeAsync());

        using (var runtime = await pipeline.OpenAsync())
        {
            using var host = LocalPipeline.WorkerHost(runtime);
            await LocalPipeline.RunUntilDrainedAsync(host);
            var expected = LocalPipeline.Expected(runtime.Catalog, csv);
            Assert.Equal(expected.Order(), (await LocalPipeline.IssuedAsync(runtime, LocalPipeline.Learners(csv))).Order());
            Assert.Equal(expected.Count, pipeline.Emails().Length);
            Assert.All(await QueueDrain.PoisonCountsAsync(host.Services.GetRequiredService<SqliteQueue>(), CancellationToken.None), p => Assert.Equal(0, p.Count));
        }
    }

    [Fact]
    public async Task The_demo_command_runs_a_term_and_a_second_run_writes_nothing_new()
    {
        using var folder = new TempFolder();
        string[] Args() => ["--data", folder.Path, "--learners", "30"];

        Assert.Equal(0, await DemoCommand.Create().Parse(Args()).InvokeAsync());
        var paths = LocalPaths.For(folder.Path);
        var emails = Directory.GetFiles(paths.Outbox, "*.eml");
        var credentials = Snapshot(Directory.GetFiles(Path.Combine(paths.Blobs, Containers.Credentials)));
        Assert.NotEmpty(emails);
        Assert.Equal(emails.Length * 4, credentials.Count);

        Assert.Equal(0, await DemoCommand.Create().Parse(Args()).InvokeAsync());

        Assert.Equal(Snapshot(emails), Snapshot(Directory.GetFiles(paths.Outbox, "*.eml")));
        Assert.Equal(credentials, Snapshot(Directory.GetFiles(Path.Combine(paths.Blobs, Containers.Credentials))));
    }

    /// <summary>
    /// A loopback port bound but not listening, held for the test: a connection to it is refused, and no other test's
    /// server can take it meanwhile (a port closed after picking it could be handed to a parallel test's SMTP server, and
    /// an email would go there).
    /// </summary>
    private static Socket RefusingPort()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>Each file's name, contents and last write time: a rewrite with the same bytes still shows.</summary>
    private static Dictionary<string, (string Hash, DateTime WrittenAt)> Snapshot(IEnumerable<string> files) =>
        files.ToDictionary(f => f, f => (Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))), File.GetLastWriteTimeUtc(f)));
}
