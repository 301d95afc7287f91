using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;
using Pipeline.Local.Admin;
using Pipeline.Local.Demo;
using Pipeline.Local.Hosting;
using Pipeline.Local.Storage;

namespace Pipeline.Local.Tests.Hosting;

/// <summary>
/// The embedded host for real: the sample catalog in a temp data folder, a generated term ingested and drained
/// through every stage (credentials issued, claim emails in the outbox, status lists published), served by Kestrel
/// on a free port of 127.0.0.1, with one admin key.
/// </summary>
internal sealed partial class EmbeddedSite : IAsyncDisposable
{
    public const string AdminName = "registrar-test";

    private readonly DirectoryInfo _folder;
    private readonly PipelineRuntime _runtime;

    private EmbeddedSite(DirectoryInfo folder, PipelineRuntime runtime, WebApplication app, Uri address, string adminKey)
    {
        _folder = folder;
        _runtime = runtime;
        App = app;
        Address = address;
        AdminKey = adminKey;
        Client = new HttpClient { BaseAddress = address };
    }

    public WebApplication App { get; }
    public Uri Address { get; }
    public string AdminKey { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => App.Services;
    public LocalPaths Paths => _runtime.Paths;

    /// <param name="atItsBaseUrl">Listen at the catalog's public base URL (a free port of 127.0.0.1), so the host's own links work, instead of the demo's <c>http://localhost:5080</c>.</param>
    /// <param name="settings">Configuration added to the host's (e.g. rate limits a test needs raised).</param>
    public static async Task<EmbeddedSite> StartAsync(int learners = 12, bool atItsBaseUrl = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var ct = CancellationToken.None;
        var folder = Directory.CreateTempSubdirectory("embedded-site-");
        var paths = LocalPaths.For(folder.FullName);
        var listen = atItsBaseUrl ? $"http://127.0.0.1:{FreePort()}" : "http://127.0.0.1:0";
        SampleCatalogInstaller.EnsureInstalled(paths.CatalogFolder, new Uri((atItsBaseUrl ? listen : LocalWebHost.DefaultUrl) + "/"));
        var runtime = await PipelineRuntime.OpenAsync(paths, ct);
        var adminKey = (await new AdminKeyStore(AdminKeyStore.PathIn(paths), TimeProvider.System).AddAsync(AdminName, ct))!;
        var app = LocalWebHost.Build(runtime, listen, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        });
        await app.StartAsync(ct);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var termPath = Path.Combine(paths.Inbox, DemoCommandTerm.Replace('/', Path.DirectorySeparatorChar));
        await new TermGenerator(runtime.Catalog).WriteAsync(termPath, learners, ct);
        await app.Services.GetRequiredService<IngestSisFileHandler>().HandleAsync(Containers.SisInbox, DemoCommandTerm, ct);
        await QueueDrain.WaitUntilEmptyAsync(app.Services.GetRequiredService<SqliteQueue>(), TimeProvider.System, _ => { }, ct);
        await app.Services.GetRequiredService<StatusListPublisher>().PublishPendingAsync(ct);
        return new EmbeddedSite(folder, runtime, app, address, adminKey);
    }

    private const string DemoCommandTerm = "generic/term-test.csv";

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Every claim email in the outbox: its credential id (from the claim page link) and claim path.</summary>
    public IReadOnlyList<(string ClaimPath, string Html, string File)> ClaimEmails() =>
        [.. Directory.GetFiles(Paths.Outbox, "*.eml")
            .Order(StringComparer.Ordinal)
            .Select(file => (Message: MimeMessage.Load(file), File: file))
            .Select(m => (ClaimLink().Match(m.Message.HtmlBody ?? m.Message.TextBody ?? "").Groups["path"].Value, m.Message.HtmlBody ?? "", m.File))
            .Where(e => e.Item1.Length > 0)];

    /// <summary>The credential ids in the ledger that are issued.</summary>
    public async Task<IReadOnlyList<string>> IssuedCredentialIdsAsync()
    {
        var ledger = Services.GetRequiredService<SqliteCredentialLedger>();
        var ids = new List<string>();
        foreach (var learner in Enumerable.Range(1, 40).Select(TermGenerator.LearnerId))
        {
            ids.AddRange((await ledger.GetByLearnerAsync(learner, CancellationToken.None))
                .Where(r => r.State == CredentialState.Issued)
                .Select(r => r.CredentialId));
        }
        return ids;
    }

    public HttpRequestMessage Admin(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        return request;
    }

    [GeneratedRegex("https?://[^\"'\\s<>]+(?<path>/claim/[A-Za-z0-9_-]+)")]
    private static partial Regex ClaimLink();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _runtime.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
