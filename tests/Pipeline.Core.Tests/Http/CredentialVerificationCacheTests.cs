using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http;
using Pipeline.Core.Storage;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Http;

public sealed class CredentialVerificationCacheTests
{
    private static readonly string Id = PublicSite.CredentialId;
    private static readonly string Page = $"/credentials/{Id}";

    [Fact]
    public async Task Two_requests_verify_once()
    {
        await using var site = await PublicSite.StartAsync();
        var cache = site.Services.GetRequiredService<CredentialVerificationCache>();
        using var scope = site.Services.CreateScope();
        var verifier = scope.ServiceProvider.GetRequiredService<LocalCredentialVerifier>();
        var jwt = site.Blobs.Bytes(Containers.Credentials, BlobNames.CredentialFile(Id, "jwt"))!;
        var calls = 0;
        Task<CredentialVerification> Verify(CancellationToken ct)
        {
            calls++;
            return verifier.VerifyAsync(System.Text.Encoding.UTF8.GetString(jwt), ct);
        }

        var first = await cache.GetOrVerifyAsync(Id, jwt, Verify, CancellationToken.None);
        var second = await cache.GetOrVerifyAsync(Id, jwt, Verify, CancellationToken.None);

        Assert.Equal(1, calls);
        Assert.Equal(CredentialVerdict.Valid, first.Verdict);
        Assert.Same(first, second);
    }

    [Fact]
    public async Task Second_page_request_reads_only_the_credential_blob()
    {
        await using var site = await PublicSite.StartAsync();
        Assert.Equal("Valid", PublicEndpointsTests.Verdict(await site.GetStringAsync(Page)));
        var readsBefore = site.Blobs.WholeReads;

        Assert.Equal("Valid", PublicEndpointsTests.Verdict(await site.GetStringAsync(Page)));

        Assert.Equal(readsBefore + 1, site.Blobs.WholeReads);
    }

    [Fact]
    public async Task A_changed_credential_blob_is_verified_again()
    {
        await using var site = await PublicSite.StartAsync();
        Assert.Equal("Valid", PublicEndpointsTests.Verdict(await site.GetStringAsync(Page)));
        var parts = site.Blobs.Text(Containers.Credentials, BlobNames.CredentialFile(Id, "jwt"))!.Split('.');
        site.Blobs.Put(Containers.Credentials, BlobNames.CredentialFile(Id, "jwt"), parts[0] + "." + parts[1][..^4] + "AAAA." + parts[2]);

        Assert.Equal("Invalid", PublicEndpointsTests.Verdict(await site.GetStringAsync(Page)));
    }

    [Fact]
    public async Task Revocation_shows_once_the_status_list_is_rechecked_and_not_before()
    {
        await using var site = await PublicSite.StartAsync();
        Assert.Equal("Valid", PublicEndpointsTests.Verdict(await site.GetStringAsync(Page)));

        await site.PublishStatusListAsync(PublicSite.StatusIndex);
        var withinRecheck = await site.GetStringAsync(Page);
        site.Time.Advance(CredentialVerificationCache.StatusListRecheck);
        var afterRecheck = await site.GetStringAsync(Page);

        Assert.Equal("Valid", PublicEndpointsTests.Verdict(withinRecheck));
        Assert.Equal("Revoked", PublicEndpointsTests.Verdict(afterRecheck));
        Assert.True(CredentialVerificationCache.StatusListRecheck < TimeSpan.FromMinutes(5), "The recheck must stay within the status list's ttl (docs/revocation.md).");
    }

    [Fact]
    public async Task A_cached_Valid_turns_Expired_when_the_clock_passes_validUntil()
    {
        await using var site = await PublicSite.StartAsync();
        var credential = JsonNode.Parse(site.Blobs.Text(Containers.Credentials, BlobNames.CredentialFile(Id, "json"))!)!;
        Assert.True(CredentialDates.TryParse((string?)credential["validUntil"], out var validUntil));
        site.Time.SetUtcNow(validUntil - TimeSpan.FromSeconds(10));
        Assert.Equal("Valid", PublicEndpointsTests.Verdict(await site.GetStringAsync(Page)));

        site.Time.Advance(TimeSpan.FromSeconds(11));

        Assert.True(TimeSpan.FromSeconds(11) < CredentialVerificationCache.StatusListRecheck);
        Assert.Equal("Expired", PublicEndpointsTests.Verdict(await site.GetStringAsync(Page)));
    }

    [Fact]
    public async Task An_outcome_is_not_reused_after_the_maximum_age()
    {
        await using var site = await PublicSite.StartAsync();
        Assert.Equal("Valid", PublicEndpointsTests.Verdict(await site.GetStringAsync(Page)));
        site.Time.Advance(CredentialVerificationCache.MaxAge);
        var readsBefore = site.Blobs.WholeReads;

        await site.GetStringAsync(Page);

        Assert.True(site.Blobs.WholeReads >= readsBefore + 3, $"expected the JWT, the list fingerprint and the list for verification to be read; {site.Blobs.WholeReads - readsBefore} reads");
    }
}
