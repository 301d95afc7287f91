using System.Net;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Http.Verify;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Http.Verify;

/// <summary>The SSRF guard and did:web addressing; no test sends traffic to any address.</summary>
public sealed class SafeFetchingTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.1")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("2002:7f00:1::")]
    [InlineData("2001:db8::1")]
    public void IsPublicAddress_private_loopback_or_link_local_is_refused(string address) =>
        Assert.False(SafeHttpFetcher.IsPublicAddress(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void IsPublicAddress_public_address_is_allowed(string address) =>
        Assert.True(SafeHttpFetcher.IsPublicAddress(IPAddress.Parse(address)));

    [Theory]
    [InlineData("https://127.0.0.1/did.json")]
    [InlineData("https://[::1]/did.json")]
    [InlineData("https://localhost/did.json")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    public async Task GetAsync_loopback_or_link_local_host_is_refused_before_connecting(string url)
    {
        using var fetcher = new SafeHttpFetcher(new FakeTimeProvider());

        var result = await fetcher.GetAsync(new Uri(url), "application/json", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("not a public internet address", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_http_url_is_refused()
    {
        using var fetcher = new SafeHttpFetcher(new FakeTimeProvider());

        var result = await fetcher.GetAsync(new Uri("http://example.com/jwks.json"), "application/json", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("only https", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_a_trusted_loopback_http_origin_is_fetched_and_no_other_loopback_port()
    {
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var answering = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync("{\"ok\":true}"u8.ToArray());
            context.Response.Close();
        });
        using var fetcher = SafeHttpFetcher.TrustingLoopbackOrigins(new FakeTimeProvider(), [new Uri($"http://127.0.0.1:{port}/")]);

        var trusted = await fetcher.GetAsync(new Uri($"http://127.0.0.1:{port}/ob2/assertions/x"), "application/json", CancellationToken.None);
        var otherPort = await fetcher.GetAsync(new Uri($"http://127.0.0.1:{port + 1}/"), "application/json", CancellationToken.None);
        var otherPortHttps = await fetcher.GetAsync(new Uri($"https://127.0.0.1:{port + 1}/"), "application/json", CancellationToken.None);
        await answering;

        Assert.True(trusted.Succeeded, trusted.Error);
        Assert.Equal("{\"ok\":true}", System.Text.Encoding.UTF8.GetString(trusted.Content!));
        Assert.Contains("only https", otherPort.Error, StringComparison.Ordinal);
        Assert.Contains("not a public internet address", otherPortHttps.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_a_connection_that_fails_is_described_in_our_words_not_the_handlers()
    {
        // Bound but not listening: connections are refused, and no other process can be handed the port meanwhile.
        using var held = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        held.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)held.LocalEndPoint!).Port;
        using var fetcher = SafeHttpFetcher.TrustingLoopbackOrigins(new FakeTimeProvider(), [new Uri($"http://127.0.0.1:{port}/")]);

        var result = await fetcher.GetAsync(new Uri($"http://127.0.0.1:{port}/jwks.json"), "application/json", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal($"http://127.0.0.1:{port}/jwks.json could not be fetched: no connection could be made to its host.", result.Error);
    }

    [Fact]
    public void A_trusted_origin_that_is_not_loopback_http_is_ignored()
    {
        using var fetcher = SafeHttpFetcher.TrustingLoopbackOrigins(new FakeTimeProvider(), [new Uri("http://example.com/"), new Uri("https://localhost:5443/")]);

        Assert.Empty(fetcher.TrustedLoopbackOrigins);
        Assert.False(fetcher.Fetches(new Uri("http://example.com/jwks.json")));
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Theory]
    [InlineData("did:web:example.com", "https://example.com/.well-known/did.json")]
    [InlineData("did:web:example.com:issuers:arizona", "https://example.com/issuers/arizona/did.json")]
    [InlineData("did:web:example.com%3A8443", "https://example.com:8443/.well-known/did.json")]
    public void DidWebUrl_follows_the_did_web_method(string did, string url) =>
        Assert.Equal(url, RemoteIssuerKeyResolver.DidWebUrl(did)?.AbsoluteUri);

    [Theory]
    [InlineData("did:web:")]
    [InlineData("did:web:example.com::x")]
    [InlineData("did:key:z6Mk")]
    public void DidWebUrl_malformed_did_is_null(string did) => Assert.Null(RemoteIssuerKeyResolver.DidWebUrl(did));
}
