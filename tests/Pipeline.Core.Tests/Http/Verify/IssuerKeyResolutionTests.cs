using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Http.Verify;
using Pipeline.Core.Tests.TestData;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Http.Verify;

/// <summary>
/// Which keys count for an issuer outside our catalog (docs/verification.md, "Which keys count"): only what is reached
/// from the issuer id — a did:web issuer's DID document (methods its assertionMethod lists), an https issuer's origin
/// (<c>/.well-known/jwks.json</c>, or a kid URL on that origin) — never what a kid on another host or DID names.
/// </summary>
public sealed class IssuerKeyResolutionTests
{
    private const string Issuer = "https://badges.example.org/issuers/robotics";

    private static (RemoteIssuerKeyResolver Resolver, CannedWeb Web, SafeHttpFetcher Fetcher) CreateSut(JsonObject? local = null)
    {
        var web = new CannedWeb();
        var fetcher = new SafeHttpFetcher(new FakeTimeProvider(CredentialTestData.Now), web);
        return (new RemoteIssuerKeyResolver(new JwksKeyResolver(local ?? new JsonObject { ["keys"] = new JsonArray() }), fetcher), web, fetcher);
    }

    [Fact]
    public async Task A_did_web_issuer_has_the_keys_its_DID_document_lists_for_assertions()
    {
        var (resolver, web, fetcher) = CreateSut();
        using var _ = fetcher;
        using var foreign = new ForeignIssuer(web);

        Assert.Single(await resolver.ResolveAsync(foreign.KeyId, foreign.Did, CancellationToken.None));
        Assert.Single(await resolver.ResolveAsync(null, foreign.Did, CancellationToken.None));
        Assert.Single(await resolver.ResolveAsync("#key-1", foreign.Did, CancellationToken.None));
        Assert.Empty(await resolver.ResolveAsync(foreign.Did + "#key-2", foreign.Did, CancellationToken.None));
    }

    [Fact]
    public async Task A_kid_of_another_DID_is_not_fetched_for_a_did_web_issuer()
    {
        var (resolver, web, fetcher) = CreateSut();
        using var _ = fetcher;
        using var foreign = new ForeignIssuer(web);
        using var attacker = new ForgedCredentials(ForgeryKey.EC);
        web.Answer("https://attacker.example/.well-known/did.json", attacker.DidDocument("did:web:attacker.example").ToJsonString());

        Assert.Empty(await resolver.ResolveAsync("did:web:attacker.example#key-1", foreign.Did, CancellationToken.None));
        Assert.Empty(web.Requests);
    }

    [Fact]
    public async Task A_verification_method_not_listed_for_assertions_or_a_document_of_another_DID_gives_no_key()
    {
        var (resolver, web, fetcher) = CreateSut();
        using var _ = fetcher;
        using var attacker = new ForgedCredentials(ForgeryKey.EC);
        var unlisted = attacker.DidDocument("did:web:a.example");
        unlisted.Remove("assertionMethod");
        web.Answer("https://a.example/.well-known/did.json", unlisted.ToJsonString());
        web.Answer("https://b.example/.well-known/did.json", attacker.DidDocument("did:web:someone-else.example").ToJsonString());

        Assert.Empty(await resolver.ResolveAsync(null, "did:web:a.example", CancellationToken.None));
        Assert.Empty(await resolver.ResolveAsync("did:web:b.example#key-1", "did:web:b.example", CancellationToken.None));
    }

    [Fact]
    public async Task An_https_issuer_has_the_keys_of_its_origins_well_known_JWK_Set_that_are_its_own()
    {
        var (resolver, web, fetcher) = CreateSut();
        using var _ = fetcher;
        using var own = new ForgedCredentials();
        using var neighbour = new ForgedCredentials();
        var jwks = own.Jwks("own");
        jwks["keys"]!.AsArray().Add(neighbour.Jwks("neighbour", iss: "https://badges.example.org/issuers/cooking")["keys"]![0]!.DeepClone());
        web.Answer("https://badges.example.org/.well-known/jwks.json", jwks.ToJsonString());

        var keys = await resolver.ResolveAsync(null, Issuer, CancellationToken.None);

        Assert.Equal("own", Assert.Single(keys).Kid);
        Assert.Empty(await resolver.ResolveAsync("neighbour", Issuer, CancellationToken.None));
    }

    [Fact]
    public async Task An_https_kid_on_the_issuers_origin_is_fetched_and_one_on_another_origin_is_not()
    {
        var (resolver, web, fetcher) = CreateSut();
        using var _ = fetcher;
        using var key = new ForgedCredentials();
        web.Answer("https://badges.example.org/keys/robotics.json", key.Jwks("https://badges.example.org/keys/robotics.json#k").ToJsonString());
        web.Answer("https://attacker.example/jwks.json", key.Jwks("https://attacker.example/jwks.json#k", iss: Issuer).ToJsonString());

        Assert.Single(await resolver.ResolveAsync("https://badges.example.org/keys/robotics.json#k", Issuer, CancellationToken.None));
        Assert.Empty(await resolver.ResolveAsync("https://attacker.example/jwks.json#k", Issuer, CancellationToken.None));
        Assert.DoesNotContain(web.Requests, r => r.RequestUri!.Host == "attacker.example");
    }

    [Theory]
    [InlineData("did:web:dup.example.org", "https://dup.example.org/.well-known/did.json", """{"id":"did:web:dup.example.org","id":"did:web:dup.example.org","verificationMethod":[]}""")]
    [InlineData("https://dup.example.org/issuers/1", "https://dup.example.org/.well-known/jwks.json", """{"keys":[],"keys":[]}""")]
    public async Task A_fetched_key_document_naming_a_member_twice_gives_no_key_and_is_not_thrown(string issuer, string url, string document)
    {
        var (resolver, web, fetcher) = CreateSut();
        using var _ = fetcher;
        web.Answer(url, document);

        Assert.Empty(await resolver.ResolveAsync(null, issuer, CancellationToken.None));
    }

    [Fact]
    public async Task One_of_our_issuers_is_never_looked_up_on_the_network()
    {
        using var signer = CredentialTestData.Signer();
        var issuer = CredentialTestData.Issuer();
        var ours = Pipeline.Core.Credentials.IssuerDocuments.AllIssuersJwks(
            [new Pipeline.Core.Credentials.IssuerDocuments.IssuerKey(issuer, await signer.GetPublicKeyAsync(issuer.Key, CancellationToken.None))]);
        var (resolver, web, fetcher) = CreateSut(ours);
        using var _ = fetcher;
        var issuerId = issuer.Urls.Issuer(issuer.Id).AbsoluteUri;

        Assert.Empty(await resolver.ResolveAsync(issuer.Urls.Base.AbsoluteUri + "keys/other.json#k", issuerId, CancellationToken.None));
        Assert.Single(await resolver.ResolveAsync(null, issuerId, CancellationToken.None));
        Assert.Empty(web.Requests);
    }
}
