using System.Net;
using Azure;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Azure.KeyVault;
using Pipeline.Azure.Tests.TestData;
using Pipeline.Azure.Webhooks;

namespace Pipeline.Azure.Tests.Webhooks;

/// <summary>The Key Vault secrets REST contract (list versions, get version) for partner webhook secrets.</summary>
public sealed class KeyVaultPartnerSecretsTests : IDisposable
{
    private static readonly Uri Vault = new("https://umaine-kv.vault.azure.net/");
    private readonly RecordingHandler _server = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 15, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _server.Dispose();

    private KeyVaultPartnerSecrets Secrets() => new(Vault, new StaticTokenCredential("token-1"), _time, new KeyVaultSignerOptions
    {
        Transport = _server.Transport,
        Retry = { Delay = TimeSpan.FromMilliseconds(1), MaxRetries = 1 },
    });

    private static string Version(string id, bool enabled, long created) =>
        $$$"""{"id":"{{{Vault}}}secrets/webhook-canvas/{{{id}}}","attributes":{"enabled":{{{(enabled ? "true" : "false")}}},"created":{{{created}}},"updated":{{{created}}}}}""";

    [Fact]
    public async Task GetActive_lists_the_versions_across_pages_and_reads_every_enabled_one_newest_first()
    {
        _server.Respond(HttpStatusCode.OK, $$$"""{"value":[{{{Version("v1", true, 1765000000)}}},{{{Version("v0", false, 1760000000)}}}],"nextLink":"{{{Vault}}}secrets/webhook-canvas/versions?api-version=7.5&$skiptoken=abc"}""")
            .Respond(HttpStatusCode.OK, $$$"""{"value":[{{{Version("v2", true, 1766000000)}}}],"nextLink":null}""")
            .Respond(HttpStatusCode.OK, """{"value":"old-secret","id":"x","attributes":{"enabled":true,"created":1765000000}}""")
            .Respond(HttpStatusCode.OK, """{"value":"new-secret","id":"x","attributes":{"enabled":true,"created":1766000000}}""");

        var secrets = await Secrets().GetActiveAsync("canvas", CancellationToken.None);

        Assert.Equal(
            [("new-secret", DateTimeOffset.FromUnixTimeSeconds(1766000000)), ("old-secret", DateTimeOffset.FromUnixTimeSeconds(1765000000))],
            secrets.Select(s => (s.Value, s.CreatedAt)));
        Assert.Equal(
            ["/secrets/webhook-canvas/versions?api-version=7.5", "/secrets/webhook-canvas/versions?api-version=7.5&$skiptoken=abc",
             "/secrets/webhook-canvas/v1?api-version=7.5", "/secrets/webhook-canvas/v2?api-version=7.5"],
            _server.Requests.Select(r => Uri.UnescapeDataString(r.Uri.PathAndQuery)));
        Assert.All(_server.Requests, r => Assert.Equal(("GET", "umaine-kv.vault.azure.net", "Bearer token-1"), (r.Method, r.Uri.Host, r.Headers["Authorization"])));
    }

    [Fact]
    public async Task An_unknown_partner_has_no_secrets_and_a_name_Key_Vault_cannot_hold_is_not_looked_up()
    {
        _server.Respond(HttpStatusCode.NotFound, """{"error":{"code":"SecretNotFound","message":"A secret with (name/id) webhook-nobody was not found in this key vault."}}""");
        var secrets = Secrets();

        Assert.Empty(await secrets.GetActiveAsync("nobody", CancellationToken.None));
        Assert.Empty(await secrets.GetActiveAsync("../keys", CancellationToken.None));
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Secrets_are_cached_for_a_minute_then_read_again()
    {
        const string Empty = """{"value":[],"nextLink":null}""";
        _server.Respond(HttpStatusCode.OK, Empty).Respond(HttpStatusCode.OK, Empty);
        var secrets = Secrets();

        await secrets.GetActiveAsync("canvas", CancellationToken.None);
        await secrets.GetActiveAsync("canvas", CancellationToken.None);
        Assert.Single(_server.Requests);
        _time.Advance(KeyVaultPartnerSecrets.CacheFor);
        await secrets.GetActiveAsync("canvas", CancellationToken.None);

        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task A_forbidden_vault_is_a_fault_naming_the_call()
    {
        _server.Respond(HttpStatusCode.Forbidden, """{"error":{"code":"Forbidden","message":"Caller is not authorized to perform action on resource."}}""");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Secrets().GetActiveAsync("canvas", CancellationToken.None));

        Assert.Contains("Key Vault list versions of secret webhook-canvas failed: HTTP 403 Forbidden", error.Message, StringComparison.Ordinal);
    }
}
