using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Http;

public sealed class StatusListCheckerTests
{
    private static async Task<StatusListLookup> LookUp(PublicSite site, JsonNode status)
    {
        using var scope = site.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<StatusListChecker>().LookUpAsync(status, CancellationToken.None);
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

    private const string RemoteList = "https://status.example.org/lists/7";

    private static JsonObject RemoteListCredential(ForeignIssuer foreign, params int[] set)
    {
        var list = new BitstringStatusList();
        foreach (var index in set)
        {
            list.Set(index);
        }
        return StatusListCredential.Create(new Uri(RemoteList), new Uri(foreign.Did), list, PublicSite.AwardedAt);
    }

    /// <summary>The entry inside a credential of <paramref name="issuer"/>, as the verifier hands it over.</summary>
    private static JsonNode EntryOf(string issuer, int index)
    {
        var credential = new JsonObject { ["issuer"] = new JsonObject { ["id"] = issuer }, ["credentialStatus"] = new StatusListEntry(new Uri(RemoteList), index).ToJson() };
        return credential["credentialStatus"]!;
    }

    [Fact]
    public async Task Remote_VC_JWT_list_signed_by_the_credentials_did_web_issuer_is_fetched_verified_and_read()
    {
        await using var site = await PublicSite.StartAsync();
        using var foreign = new ForeignIssuer(site.Web);
        site.Web.Answer(RemoteList, foreign.Sign(RemoteListCredential(foreign, 7)), "application/vc+jwt");

        var revoked = await LookUp(site, EntryOf(foreign.Did, 7));
        var active = await LookUp(site, EntryOf(foreign.Did, 8));

        Assert.Equal(StatusListOutcome.Revoked, revoked.Outcome);
        Assert.Contains("entry 7 is set in its published revocation list", revoked.Message, StringComparison.Ordinal);
        Assert.Equal(StatusListOutcome.Active, active.Outcome);
        Assert.Contains(site.Web.Requests, r => r.RequestUri!.AbsoluteUri == RemoteList);
        Assert.Contains(site.Web.Requests, r => r.RequestUri!.AbsoluteUri == $"https://{foreign.Host}/.well-known/did.json");
    }

    [Fact]
    public async Task Remote_list_signed_by_someone_else_is_unknown()
    {
        await using var site = await PublicSite.StartAsync();
        using var foreign = new ForeignIssuer(site.Web);
        using var impostor = new ForeignIssuer(new CannedWeb());
        site.Web.Answer(RemoteList, impostor.Sign(RemoteListCredential(foreign)), "application/vc+jwt");

        var lookup = await LookUp(site, EntryOf(foreign.Did, 7));

        Assert.Equal(StatusListOutcome.Unknown, lookup.Outcome);
        Assert.Contains("signature does not verify", lookup.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remote_list_of_another_issuer_than_the_credentials_is_unknown()
    {
        await using var site = await PublicSite.StartAsync();
        using var foreign = new ForeignIssuer(site.Web);
        site.Web.Answer(RemoteList, foreign.Sign(RemoteListCredential(foreign, 7)), "application/vc+jwt");

        var lookup = await LookUp(site, EntryOf("did:web:victim.example.org", 7));

        Assert.Equal(StatusListOutcome.Unknown, lookup.Outcome);
    }

    [Fact]
    public async Task Remote_JSON_list_is_read_and_its_id_must_be_the_list_url()
    {
        await using var site = await PublicSite.StartAsync();
        using var foreign = new ForeignIssuer(site.Web);
        site.Web.Answer(RemoteList, RemoteListCredential(foreign, 7).ToJsonString(), "application/vc+ld+json");
        var moved = RemoteListCredential(foreign, 7);
        moved["id"] = "https://status.example.org/lists/8";
        site.Web.Answer("https://status.example.org/lists/9", moved.ToJsonString(), "application/vc+ld+json");

        var read = await LookUp(site, EntryOf(foreign.Did, 7));
        var wrongId = await LookUp(site, new StatusListEntry(new Uri("https://status.example.org/lists/9"), 7).ToJson());

        Assert.Equal(StatusListOutcome.Revoked, read.Outcome);
        Assert.Equal(StatusListOutcome.Unknown, wrongId.Outcome);
        Assert.Contains("not the list URL", wrongId.Message, StringComparison.Ordinal);
    }

    /// <summary>Issue 21: another issuer's list is outside input; one naming a member twice threw out of the checker (a 500 on the verify API).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Remote_list_naming_a_member_twice_is_unknown_not_thrown(bool asJws)
    {
        await using var site = await PublicSite.StartAsync();
        using var foreign = new ForeignIssuer(site.Web);
        var json = RemoteListCredential(foreign, 7).ToJsonString();
        var twice = json[..^1] + ",\"issuer\":\"did:web:victim.example.org\"}";
        static string Encode(string text) => System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(text));
        site.Web.Answer(RemoteList, asJws ? $"{Encode("{\"alg\":\"ES256\",\"kid\":\"" + foreign.KeyId + "\"}")}.{Encode(twice)}.AAAA" : twice,
            asJws ? "application/vc+jwt" : "application/vc+ld+json");

        var lookup = await LookUp(site, EntryOf(foreign.Did, 7));

        Assert.Equal(StatusListOutcome.Unknown, lookup.Outcome);
    }

    [Fact]
    public async Task Remote_list_that_cannot_be_fetched_is_unknown()
    {
        await using var site = await PublicSite.StartAsync();

        var lookup = await LookUp(site, new StatusListEntry(new Uri("https://elsewhere.example.org/status/1"), 7).ToJson());

        Assert.Equal(StatusListOutcome.Unknown, lookup.Outcome);
        Assert.Contains("could not be fetched", lookup.Message, StringComparison.Ordinal);
        Assert.Contains("answered 404", lookup.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remote_list_over_plain_http_is_not_fetched()
    {
        await using var site = await PublicSite.StartAsync();

        var lookup = await LookUp(site, new StatusListEntry(new Uri("http://status.example.org/lists/7"), 7).ToJson());

        Assert.Equal(StatusListOutcome.Unknown, lookup.Outcome);
        Assert.Contains("only https is fetched", lookup.Message, StringComparison.Ordinal);
        Assert.Empty(site.Web.Requests);
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
