using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http;
using Pipeline.Core.Signing;
using Pipeline.Core.Tests.TestData;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Signing;

/// <summary>
/// Rotating an issuer's key (catalog <c>key.name</c> → a new key, the old one moved to <c>key.previous</c>): new
/// credentials carry the new kid, and credentials signed before the rotation keep verifying through the JWK Sets.
/// </summary>
public sealed class KeyRotationTests : IDisposable
{
    private const string OldKey = "umaine-badges-2026";
    private const string NewKey = "umaine-badges-2027";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("pipeline-rotation-");
    private readonly LocalJwkSigner _signer;

    public KeyRotationTests() => _signer = new LocalJwkSigner(Path.Combine(_folder.FullName, "keys"));

    public void Dispose()
    {
        _signer.Dispose();
        _folder.Delete(recursive: true);
    }

    /// <summary>The sample catalog with umaine's key set to <paramref name="key"/> (and <c>previous</c> when given).</summary>
    private PipelineCatalog Catalog(string key, params string[] previous)
    {
        var folder = Path.Combine(_folder.FullName, "catalog-" + key + "-" + previous.Length);
        foreach (var file in Directory.EnumerateFiles(SampleCatalog.Folder, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(SampleCatalog.Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var issuerFile = Path.Combine(folder, "issuers", "umaine.json");
        var issuer = JsonNode.Parse(File.ReadAllText(issuerFile))!.AsObject();
        issuer["key"] = new JsonObject { ["name"] = key, ["algorithm"] = "RS256" };
        if (previous.Length > 0)
        {
            issuer["key"]!["previous"] = new JsonArray([.. previous.Select(p => (JsonNode)p)]);
        }
        File.WriteAllText(issuerFile, issuer.ToJsonString());
        return CatalogLoader.Load(folder).GetCatalogOrThrow();
    }

    private async Task<string> IssueAsync(PipelineCatalog catalog)
    {
        foreach (var each in catalog.Issuers.Values)
        {
            await _signer.EnsureKeyAsync(each.Key, CancellationToken.None);
        }
        var issuer = catalog.Issuers["umaine"];
        var achievement = catalog.Achievements.Values.First(a => catalog.IssuerOf(a).Id == issuer.Id);
        var credential = OpenBadgeCredentialBuilder.Build(CredentialTestData.Request(achievement, issuer) with { Status = new StatusListEntry(issuer.Urls.StatusList(issuer.Id, "1"), 7), IssuerImage = null });
        return await new VcJwt(_signer).SignCredentialAsync(credential, issuer, CancellationToken.None);
    }

    private static async Task<VerificationResult> VerifyAsync(IssuerKeys keys, string jwt) =>
        await new CredentialVerifier(await keys.ResolverAsync(CancellationToken.None), new FakeTimeProvider(CredentialTestData.Now))
            .VerifyAsync(jwt, null, CancellationToken.None);

    [Fact]
    public async Task After_a_rotation_the_JWKS_publish_both_keys_and_credentials_signed_before_and_after_verify()
    {
        var before = await IssueAsync(Catalog(OldKey));
        var rotated = Catalog(NewKey, OldKey);
        var after = await IssueAsync(rotated);
        var keys = new IssuerKeys(rotated, _signer, new FakeTimeProvider(CredentialTestData.Now));

        var issuerJwks = await keys.IssuerJwksAsync(rotated.Issuers["umaine"], CancellationToken.None);
        var all = await keys.AllIssuersJwksAsync(CancellationToken.None);

        var jwksUrl = rotated.Issuers["umaine"].Urls.IssuerJwks("umaine").AbsoluteUri;
        Assert.Equal([$"{jwksUrl}#{NewKey}", $"{jwksUrl}#{OldKey}"], issuerJwks["keys"]!.AsArray().Select(k => (string)k!["kid"]!));
        Assert.Contains($"{jwksUrl}#{OldKey}", all["keys"]!.AsArray().Select(k => (string)k!["kid"]!));
        Assert.True((await VerifyAsync(keys, before)).IsValid);
        Assert.True((await VerifyAsync(keys, after)).IsValid);
    }

    [Fact]
    public async Task After_a_rotation_the_DID_document_lists_both_keys_as_assertion_methods_with_the_JWKS_keys()
    {
        await IssueAsync(Catalog(OldKey));
        var rotated = Catalog(NewKey, OldKey);
        await IssueAsync(rotated);
        var keys = new IssuerKeys(rotated, _signer, new FakeTimeProvider(CredentialTestData.Now));
        var issuer = rotated.Issuers["umaine"];

        var did = await keys.DidDocumentAsync(issuer, CancellationToken.None);
        var jwks = await keys.IssuerJwksAsync(issuer, CancellationToken.None);

        var id = issuer.Urls.IssuerDid("umaine");
        Assert.Equal([$"{id}#{NewKey}", $"{id}#{OldKey}"], did["verificationMethod"]!.AsArray().Select(m => (string)m!["id"]!));
        Assert.Equal([$"{id}#{NewKey}", $"{id}#{OldKey}"], did["assertionMethod"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(
            jwks["keys"]!.AsArray().Select(k => (string)k!["n"]!),
            did["verificationMethod"]!.AsArray().Select(m => (string)m!["publicKeyJwk"]!["n"]!));
    }

    [Fact]
    public async Task A_rotation_that_drops_the_old_key_from_the_catalog_no_longer_verifies_credentials_signed_with_it()
    {
        var before = await IssueAsync(Catalog(OldKey));
        var rotated = Catalog(NewKey);
        _ = await IssueAsync(rotated);
        var keys = new IssuerKeys(rotated, _signer, new FakeTimeProvider(CredentialTestData.Now));

        Assert.False((await VerifyAsync(keys, before)).IsValid);
    }

    [Fact]
    public void A_previous_key_equal_to_the_current_key_is_a_catalog_error_at_its_pointer()
    {
        var error = Assert.Throws<CatalogException>(() => Catalog(NewKey, NewKey));

        Assert.Contains("/key/previous/0", error.Message, StringComparison.Ordinal);
    }
}
