using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;
using Pipeline.Local.Demo;
using Pipeline.Local.Hosting;
using Pipeline.Local.Storage;
using Pipeline.Local.Webhooks;

namespace Pipeline.Local.Tests.Webhooks;

/// <summary>
/// The embedded host on the ASP.NET test server over a temporary data folder holding the sample catalog (with its
/// three sample partners, each given a secret), workers running. Requests are signed with <see cref="PartnerSigner"/>.
/// </summary>
internal sealed class WebhookHost : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;
    private readonly PipelineRuntime _runtime;

    private WebhookHost(DirectoryInfo folder, PipelineRuntime runtime, WebApplication app, PartnerSecretStore secrets)
    {
        _folder = folder;
        _runtime = runtime;
        App = app;
        Secrets = secrets;
        Client = app.GetTestClient();
    }

    public const string Bootcamp = "northwind-bootcamp";
    public const string Caliper = "arizona-lms";
    public const string Moodle = "umaine-moodle";

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public PartnerSecretStore Secrets { get; }
    public Dictionary<string, string> SecretOf { get; } = new(StringComparer.Ordinal);

    public static async Task<WebhookHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var folder = Directory.CreateTempSubdirectory("webhooks-host-");
        var paths = LocalPaths.For(folder.FullName);
        SampleCatalogInstaller.EnsureInstalled(paths.CatalogFolder, new Uri("http://localhost/"));
        var runtime = await PipelineRuntime.OpenAsync(paths, CancellationToken.None);
        var app = LocalWebHost.Build(runtime, "http://localhost", b =>
        {
            b.WebHost.UseTestServer();
            if (settings is not null)
            {
                b.Configuration.AddInMemoryCollection(settings);
            }
        });
        await app.StartAsync();
        var host = new WebhookHost(folder, runtime, app, new PartnerSecretStore(paths.PartnerSecrets, TimeProvider.System));
        foreach (var partner in new[] { Bootcamp, Caliper, Moodle })
        {
            host.SecretOf[partner] = (await host.Secrets.AddAsync(partner, CancellationToken.None)).Secret!;
        }
        return host;
    }

    public string DataFolder => _folder.FullName;

    /// <summary>Posts <paramref name="body"/> with the given headers (null: left out).</summary>
    public Task<HttpResponseMessage> PostAsync(string partner, byte[] body, string? timestamp, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{partner}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (timestamp is not null)
        {
            request.Headers.Add("X-Pipeline-Timestamp", timestamp);
        }
        if (signature is not null)
        {
            request.Headers.Add("X-Pipeline-Signature", signature);
        }
        return Client.SendAsync(request);
    }

    /// <summary>Posts signed now with <paramref name="secret"/> (default: the partner's first secret).</summary>
    public Task<HttpResponseMessage> PostSignedAsync(string partner, byte[] body, string? secret = null, DateTimeOffset? at = null)
    {
        var (timestamp, signature) = PartnerSigner.Sign(secret ?? SecretOf[partner], body, at ?? TimeProvider.System.GetUtcNow());
        return PostAsync(partner, body, timestamp, signature);
    }

    public SqliteQueue Queue => App.Services.GetRequiredService<SqliteQueue>();

    public Task<int> PendingCompletionsAsync() => Queue.CountAsync(Queues.Completions, CancellationToken.None);

    /// <summary>Waits until every stage queue is empty (the workers have done everything the deliveries started).</summary>
    public async Task DrainAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await QueueDrain.WaitUntilEmptyAsync(Queue, TimeProvider.System, _ => { }, guard.Token);
        Assert.All(await QueueDrain.PoisonCountsAsync(Queue, CancellationToken.None), p => Assert.Equal(0, p.Count));
    }

    public async Task<IReadOnlyList<string>> AchievementsOfAsync(string learnerId) =>
        [.. (await App.Services.GetRequiredService<ICredentialLedger>().GetByLearnerAsync(learnerId, CancellationToken.None)).Select(c => c.AchievementId).Order(StringComparer.Ordinal)];

    /// <summary>The worked example of docs/integrations.md marked <c>&lt;!-- example: {name} --&gt;</c>, as its exact bytes.</summary>
    public static byte[] DocExample(string name) => Encoding.UTF8.GetBytes(DocBlock("example: " + name));

    /// <summary>The fenced block after <c>&lt;!-- {marker} --&gt;</c> in docs/integrations.md.</summary>
    public static string DocBlock(string marker)
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "integrations.md")).ReplaceLineEndings("\n");
        var match = Regex.Match(doc, "<!-- " + Regex.Escape(marker) + " -->\n```[a-z]*\n(.*?)```\n", RegexOptions.Singleline);
        Assert.True(match.Success, $"docs/integrations.md has no block marked {marker}");
        return match.Groups[1].Value;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _runtime.Dispose();
        _folder.Delete(recursive: true);
    }
}
