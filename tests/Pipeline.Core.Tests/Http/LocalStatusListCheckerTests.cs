using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Tests.Http;

public sealed class LocalStatusListCheckerTests
{
    private static async Task<StatusListLookup> LookUp(PublicSite site, JsonNode status)
    {
        using var scope = site.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<LocalStatusListChecker>().LookUpAsync(status, CancellationToken.None);
    }

    private static JsonObject Entry(PublicSite site, int index, string list = PublicSite.ListId) =>
        new StatusListEntry(site.Issuer.Urls.StatusList(PublicSite.IssuerId, list), index).ToJson();

    [Fact]
    public async Task Clear_bit_is_active_and_set_bit_is_revoked()
    {
        await using var site = await PublicSite.StartAsync();
        await site.PublishStatusListAsync(7);

        Assert.Equal(StatusListOutcome.Active, (await LookUp(site, Entry(site, 8))).Outcome);
        Assert.Equal(StatusListOutcome.Revoked, (await LookUp(site, Entry(site, 7))).Outcome);
    }

    [Fact]
    public async Task Remote_status_list_is_reported_as_not_checked()
    {
        await using var site = await PublicSite.StartAsync();
        var remote = new StatusListEntry(new Uri("https://elsewhere.example.org/status/1"), 7).ToJson();

        var lookup = await LookUp(site, remote);

        Assert.Equal(StatusListOutcome.Unknown, lookup.Outcome);
        Assert.Contains("remote status lists are not checked", lookup.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_list_signed_by_another_issuer_is_not_trusted()
    {
        await using var site = await PublicSite.StartAsync();
        var umaine = site.Catalog.Issuers["umaine"];
        var forged = await site.SignAsync(
            StatusListCredential.Create(site.Issuer.Urls.StatusList(PublicSite.IssuerId, PublicSite.ListId), site.Issuer.Urls.Issuer(PublicSite.IssuerId), new BitstringStatusList(), PublicSite.AwardedAt),
            umaine);
        site.Blobs.Put(Containers.Public, BlobNames.StatusList(PublicSite.IssuerId, PublicSite.ListId), forged);

        var lookup = await LookUp(site, Entry(site, 7));

        Assert.Equal(StatusListOutcome.Unknown, lookup.Outcome);
    }

    [Fact]
    public async Task Missing_status_list_is_unknown()
    {
        await using var site = await PublicSite.StartAsync();

        Assert.Equal(StatusListOutcome.Unknown, (await LookUp(site, Entry(site, 7, "99"))).Outcome);
    }
}
