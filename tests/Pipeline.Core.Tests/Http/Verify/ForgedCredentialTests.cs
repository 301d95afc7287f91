using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Http.Verify;

/// <summary>
/// Issue 21 on the test server: our genuine credential re-signed by an attacker (<see cref="ForgedCredentials"/>) in our
/// issuer's name, each way of bringing their own key, is answered invalid by <c>POST /api/verify</c> and by the
/// verification page's upload of a baked PNG; nothing the headers name on the attacker's hosts is fetched.
/// </summary>
public sealed class ForgedCredentialTests
{
    private const string Attacker = "attacker.example";

    public static TheoryData<string> Forgeries() =>
    [
        "header-jwk-rsa",
        "header-jwk-ec",
        "header-jwk-beside-our-kid",
        "header-jwk-with-private-members",
        "jku",
        "x5c",
        "kid-of-the-attackers-jwks",
        "kid-of-the-attackers-did",
        "iss-of-the-attackers-did",
        "issuer-id-of-the-attackers-did",
        "kid-of-another-of-our-issuers",
    ];

    private static async Task<string> ForgeAsync(PublicSite site, string kind)
    {
        var genuine = site.Blobs.Text(Containers.Credentials, BlobNames.CredentialFile(PublicSite.CredentialId, "jwt"))!;
        var payload = ForgedCredentials.Impersonating(genuine);
        using var forger = new ForgedCredentials(kind == "header-jwk-ec" ? ForgeryKey.EC : ForgeryKey.Rsa);
        var did = "did:web:" + Attacker;
        site.Web.Answer($"https://{Attacker}/jwks.json", forger.Jwks($"https://{Attacker}/jwks.json#k", iss: (string?)payload["iss"]).ToJsonString());
        site.Web.Answer($"https://{Attacker}/.well-known/did.json", forger.DidDocument(did).ToJsonString());
        switch (kind)
        {
            case "header-jwk-rsa" or "header-jwk-ec":
                return forger.WithHeaderJwk(payload);
            case "header-jwk-beside-our-kid":
                return forger.WithHeaderJwkAndKid(payload, (string)ForgedCredentials.HeaderOf(genuine)["kid"]!);
            case "header-jwk-with-private-members":
                return forger.WithPrivateHeaderJwk(payload);
            case "jku":
                return forger.WithJku(payload, $"https://{Attacker}/jwks.json");
            case "x5c":
                return forger.WithX5c(payload);
            case "kid-of-the-attackers-jwks":
                return forger.WithKid(payload, $"https://{Attacker}/jwks.json#k");
            case "kid-of-the-attackers-did":
                return forger.WithKid(payload, did + "#key-1");
            case "iss-of-the-attackers-did":
                payload["iss"] = did;
                return forger.WithKid(payload, did + "#key-1");
            case "issuer-id-of-the-attackers-did":
                payload["issuer"]!["id"] = did;
                return forger.WithKid(payload, did + "#key-1");
            case "kid-of-another-of-our-issuers":
                var credential = JsonNode.Parse(site.Blobs.Text(Containers.Credentials, BlobNames.CredentialFile(PublicSite.CredentialId, "json"))!)!.AsObject();
                return await site.SignAsync(credential, site.Catalog.Issuers.Values.First(i => i.Id != PublicSite.IssuerId));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Forged_credential_is_invalid_through_the_API_and_its_key_check_fails(string kind)
    {
        await using var site = await PublicSite.StartAsync();
        var forged = await ForgeAsync(site, kind);

        using var content = new StringContent(forged, Encoding.ASCII, "application/jwt");
        using var response = await site.Client.PostAsync("/api/verify", content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((string?)body["verdict"] == "invalid", body.ToJsonString());
        Assert.Equal("failed", Outcome(body, FailingCheck(kind)));
        Assert.False(Outcome(body, CheckCodes.JwtKey) == "passed" && Outcome(body, CheckCodes.JwtSignature) == "passed", body.ToJsonString());
        Assert.NotEqual("passed", Outcome(body, CheckCodes.Status));
    }

    [Fact]
    public async Task The_issue_21_forgery_is_explained_in_plain_words()
    {
        await using var site = await PublicSite.StartAsync();
        var forged = await ForgeAsync(site, "header-jwk-rsa");

        using var content = new StringContent(forged, Encoding.ASCII, "application/jwt");
        using var response = await site.Client.PostAsync("/api/verify", content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        var key = body["checks"]!.AsArray().Single(c => (string?)c!["code"] == CheckCodes.JwtKey)!;
        Assert.Equal(
            $"The JWT header carries its own key, and {site.Issuer.Urls.Issuer(site.Issuer.Id).AbsoluteUri} does not publish that key: anyone could have signed it.",
            (string?)key["message"]);
        Assert.Equal("Issuer's key", (string?)key["label"]);
        Assert.Equal("skipped", Outcome(body, CheckCodes.JwtSignature));
    }

    [Theory]
    [InlineData("jku")]
    [InlineData("x5c")]
    [InlineData("kid-of-the-attackers-jwks")]
    [InlineData("kid-of-the-attackers-did")]
    [InlineData("iss-of-the-attackers-did")]
    public async Task Nothing_a_forged_header_names_on_the_attackers_host_is_fetched(string kind)
    {
        await using var site = await PublicSite.StartAsync();
        var forged = await ForgeAsync(site, kind);

        using var content = new StringContent(forged, Encoding.ASCII, "application/jwt");
        using var response = await site.Client.PostAsync("/api/verify", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(site.Web.Requests, r => r.RequestUri!.Host == Attacker);
    }

    [Theory]
    [InlineData("header-jwk-rsa")]
    [InlineData("header-jwk-beside-our-kid")]
    [InlineData("x5c")]
    [InlineData("kid-of-another-of-our-issuers")]
    public async Task Forged_credential_baked_in_a_PNG_is_invalid_on_the_verification_page(string kind)
    {
        await using var site = await PublicSite.StartAsync();
        var forged = await ForgeAsync(site, kind);
        var art = File.ReadAllBytes(site.Catalog.ResolvePath(site.Catalog.Achievements[PublicSite.AchievementId].ImagePngPath));
        using var content = new MultipartFormDataContent { { new ByteArrayContent(ForgedCredentials.BakePng(art, forged)), "file", "badge.png" } };

        using var response = await site.Client.PostAsync("/credentials/verify", content);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<strong>Invalid</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("This badge is authentic", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Claims to be issued by</dt>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<dt>Issued by</dt>", html, StringComparison.Ordinal);
        var label = FailingCheck(kind) == CheckCodes.JwtKey ? "Issuer&#x27;s key" : "Signature";
        Assert.Contains($"<span class=\"outcome failed\">Failed:</span> <strong>{label}</strong>.<br>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_of_a_genuine_badge_names_the_issuer_by_name_and_id_and_says_what_the_key_check_means()
    {
        await using var site = await PublicSite.StartAsync();
        var png = site.Blobs.Bytes(Containers.Credentials, BlobNames.CredentialFile(PublicSite.CredentialId, "png"))!;
        using var content = new MultipartFormDataContent { { new ByteArrayContent(png), "file", "badge.png" } };

        using var response = await site.Client.PostAsync("/credentials/verify", content);
        var html = await response.Content.ReadAsStringAsync();

        var issuer = site.Issuer.Urls.Issuer(site.Issuer.Id).AbsoluteUri;
        Assert.Contains(HtmlEncoder.Default.Encode($"This badge is authentic: {site.Issuer.Name} ({issuer}) issued it"), html, StringComparison.Ordinal);
        Assert.Contains("<dt>Issued by</dt>", html, StringComparison.Ordinal);
        Assert.Contains(
            "<span class=\"outcome passed\">Passed:</span> <strong>Issuer&#x27;s key</strong>. " + HtmlEncoder.Default.Encode("The signature is checked only with a key that the issuer named in the badge publishes."),
            html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Our_credential_as_JSON_with_a_made_up_proof_is_invalid()
    {
        await using var site = await PublicSite.StartAsync();
        var credential = JsonNode.Parse(site.Blobs.Text(Containers.Credentials, BlobNames.CredentialFile(PublicSite.CredentialId, "json"))!)!.AsObject();
        credential["name"] = "Doctor of Medicine";
        credential["proof"] = new JsonArray(new JsonObject
        {
            ["type"] = "DataIntegrityProof",
            ["cryptosuite"] = "eddsa-rdfc-2022",
            ["proofPurpose"] = "assertionMethod",
            ["verificationMethod"] = site.Issuer.Urls.Issuer(site.Issuer.Id).AbsoluteUri + "#key-1",
            ["proofValue"] = "z5forged",
        });

        using var content = new StringContent(credential.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await site.Client.PostAsync("/api/verify", content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal("invalid", (string?)body["verdict"]);
        Assert.Equal("not-supported", Outcome(body, CheckCodes.Proof));
    }

    /// <summary>
    /// The check that catches a forgery: the key check, except when the header names no key (jku and x5c are never
    /// read): then the issuer's own keys are tried, and the signature check fails.
    /// </summary>
    private static string FailingCheck(string kind) => kind is "jku" or "x5c" ? CheckCodes.JwtSignature : CheckCodes.JwtKey;

    private static string? Outcome(JsonObject body, string code) =>
        (string?)body["checks"]!.AsArray().FirstOrDefault(c => (string?)c!["code"] == code)?["outcome"];
}
