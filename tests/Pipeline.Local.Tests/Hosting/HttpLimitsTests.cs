using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Local.Hosting;
using Pipeline.Local.Tests.EndToEnd;

namespace Pipeline.Local.Tests.Hosting;

/// <summary>The embedded host's limits against hostile clients (issue #9), against a real Kestrel on 127.0.0.1.</summary>
public sealed class HttpLimitsTests
{
    private static async Task<(WebApplication App, Uri Address)> StartAsync(PipelineRuntime runtime, Dictionary<string, string?> settings)
    {
        var app = LocalWebHost.Build(runtime, "http://127.0.0.1:0", builder =>
        {
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(settings);
        });
        await app.StartAsync(LocalPipeline.Bounded());
        return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
    }

    [Fact]
    public async Task A_body_over_the_configured_limit_is_a_413_problem()
    {
        using var pipeline = new LocalPipeline();
        using var runtime = await pipeline.OpenAsync();
        var (app, address) = await StartAsync(runtime, new() { ["Pipeline:Http:MaxRequestBodySize"] = "2048" });
        await using var _ = app;
        using var client = new HttpClient { BaseAddress = address };

        using var content = new StringContent(new string('x', 4096), Encoding.UTF8, "text/plain");
        using var response = await client.PostAsync(new Uri("api/verify", UriKind.Relative), content, LocalPipeline.Bounded());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(LocalPipeline.Bounded()));
        Assert.Equal("urn:credential-pipeline:problem:payload-too-large", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal("The request body is larger than this server accepts (2048 bytes).", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_client_sending_its_headers_slowly_is_cut_off()
    {
        using var pipeline = new LocalPipeline();
        using var runtime = await pipeline.OpenAsync();
        var (app, address) = await StartAsync(runtime, new() { ["Pipeline:Http:RequestHeadersTimeout"] = "00:00:01" });
        await using var _ = app;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, address.Port, LocalPipeline.Bounded());
        var stream = tcp.GetStream();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // One header byte every 100 ms, for as long as the server keeps the connection (at most the 30 s bound).
        var drip = Task.Run(async () =>
        {
            await stream.WriteAsync("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "u8.ToArray(), stop.Token);
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await stream.WriteAsync("a"u8.ToArray(), stop.Token);
                    await Task.Delay(100, stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The server closed the connection (or the bound was reached, which the assertions below catch).
            }
        });
        var received = new MemoryStream();
        var buffer = new byte[1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, stop.Token)) > 0)
        {
            received.Write(buffer, 0, read);
        }
        await stop.CancelAsync();
        await drip;

        var response = Encoding.ASCII.GetString(received.ToArray());
        Assert.True(response.Length == 0 || response.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), response);
    }

    [Fact]
    public async Task Claim_page_requests_over_the_per_address_limit_get_429_with_retry_after_and_other_pages_do_not()
    {
        using var pipeline = new LocalPipeline();
        using var runtime = await pipeline.OpenAsync();
        var (app, address) = await StartAsync(runtime, new()
        {
            ["Pipeline:Http:ClaimPermitLimit"] = "5",
            ["Pipeline:Http:ClaimWindow"] = "01:00:00",
        });
        await using var _ = app;
        using var client = new HttpClient { BaseAddress = address };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var guess = await client.GetAsync(new Uri($"claim/guess-{i}", UriKind.Relative), LocalPipeline.Bounded());
            statuses.Add(guess.StatusCode);
        }
        using var limited = await client.GetAsync(new Uri("claim/guess-7", UriKind.Relative), LocalPipeline.Bounded());
        using var health = await client.GetAsync(new Uri("health", UriKind.Relative), LocalPipeline.Bounded());

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.NotFound, 5), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = Assert.Single(limited.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
        using var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync(LocalPipeline.Bounded()));
        Assert.Equal("urn:credential-pipeline:problem:rate-limited", problem.RootElement.GetProperty("type").GetString());
        Assert.StartsWith("Too many claim page requests from this address", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, health.StatusCode);
    }
}
