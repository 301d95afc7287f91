using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Azure.KeyVault;
using Pipeline.Azure.Tests.TestData;
using Pipeline.Core.Catalog;
using Pipeline.Core.Http;
using Pipeline.Core.Verification;

namespace Pipeline.Azure.Tests.KeyVault;

/// <summary>
/// A Key Vault key rotation as docs/deploy.md describes it: the catalog's key pinned to the new version and the old
/// version listed in <c>key.previous</c>. The JWK Sets are built from one GET per version, each version under its own kid.
/// </summary>
public sealed class KeyVaultRotationTests : IDisposable
{
    private static readonly Uri Vault = new("https://umaine-kv.vault.azure.net/");
    private readonly RecordingHandler _server = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kv-rotation-");

    public void Dispose()
    {
        _server.Dispose();
        _folder.Delete(recursive: true);
    }

    private static string RsaKeyJson(string name, string version, RSA rsa)
    {
        var p = rsa.ExportParameters(false);
        return $$$"""{"key":{"kid":"{{{Vault}}}keys/{{{name}}}/{{{version}}}","kty":"RSA-HSM","key_ops":["sign","verify"],"n":"{{{Base64Url.EncodeToString(p.Modulus)}}}","e":"{{{Base64Url.EncodeToString(p.Exponent)}}}"},"attributes":{"enabled":true}}""";
    }

    /// <summary>The sample catalog, with umaine's key set to <c>umaine-signing/v2</c> and <c>umaine-signing/v1</c> as previous.</summary>
    private PipelineCatalog RotatedCatalog()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Pipeline.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException($"No Pipeline.sln above {AppContext.BaseDirectory}.");
        }
        var samples = Path.Combine(root.FullName, "samples", "catalog");
        foreach (var file in Directory.EnumerateFiles(samples, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_folder.FullName, Path.GetRelativePath(samples, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var issuerFile = Path.Combine(_folder.FullName, "issuers", "umaine.json");
        var issuer = JsonNode.Parse(File.ReadAllText(issuerFile))!.AsObject();
        issuer["key"] = JsonNode.Parse("""{"name":"umaine-signing/v2","algorithm":"RS256","previous":["umaine-signing/v1"]}""");
        File.WriteAllText(issuerFile, issuer.ToJsonString());
        return CatalogLoader.Load(_folder.FullName).GetCatalogOrThrow();
    }

    [Fact]
    public async Task Issuer_JWKS_after_a_rotation_hold_the_current_and_the_previous_version_fetched_by_version()
    {
        var catalog = RotatedCatalog();
        using var arizona = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var edlab = RSA.Create(2048);
        using var current = RSA.Create(2048);
        using var previous = RSA.Create(2048);
        var ec = arizona.ExportParameters(false);
        // IssuerKeys loads the issuers in id order: arizona, edlab, umaine (current, then previous).
        _server.Respond(HttpStatusCode.OK, $$$"""{"key":{"kid":"{{{Vault}}}keys/arizona-credentials-es256/a1","kty":"EC-HSM","crv":"P-256","x":"{{{Base64Url.EncodeToString(ec.Q.X)}}}","y":"{{{Base64Url.EncodeToString(ec.Q.Y)}}}"}}""")
            .Respond(HttpStatusCode.OK, RsaKeyJson("edlab-badges-2026", "e1", edlab))
            .Respond(HttpStatusCode.OK, RsaKeyJson("umaine-signing", "v2", current))
            .Respond(HttpStatusCode.OK, RsaKeyJson("umaine-signing", "v1", previous));
        var signer = new KeyVaultSigner(Vault, new StaticTokenCredential("token-1"), new KeyVaultSignerOptions { Transport = _server.Transport });
        var keys = new IssuerKeys(catalog, signer, new FakeTimeProvider(new DateTimeOffset(2026, 12, 15, 0, 0, 0, TimeSpan.Zero)));

        var jwks = await keys.IssuerJwksAsync(catalog.Issuers["umaine"], CancellationToken.None);

        Assert.Equal(
            ["/keys/arizona-credentials-es256", "/keys/edlab-badges-2026", "/keys/umaine-signing/v2", "/keys/umaine-signing/v1"],
            _server.Requests.Select(r => r.Uri.AbsolutePath));
        Assert.All(_server.Requests, r => Assert.Equal(("GET", "?api-version=7.5"), (r.Method, r.Uri.Query)));
        var published = jwks["keys"]!.AsArray().Select(k => ((string)k!["kid"]!, (string)k["n"]!)).ToList();
        var jwksUrl = catalog.Issuers["umaine"].Urls.IssuerJwks("umaine").AbsoluteUri;
        Assert.Equal(
            [($"{jwksUrl}#umaine-signing/v2", Base64Url.EncodeToString(current.ExportParameters(false).Modulus)),
             ($"{jwksUrl}#umaine-signing/v1", Base64Url.EncodeToString(previous.ExportParameters(false).Modulus))],
            published);
    }
}
