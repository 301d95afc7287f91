using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Core.Baking;
using Pipeline.Core.Signing;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.Credentials.Verification;
using Pipeline.Core.Tests.TestData;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Http.Verify;

/// <summary><c>POST /api/verify</c> on the test server: our baked badge, tampered and purpose-built bad credentials, unreadable input, the 1EdTech fixtures.</summary>
public sealed class VerifyApiTests
{
    private static readonly string Id = PublicSite.CredentialId;

    [Fact]
    public async Task Uploaded_baked_PNG_of_our_credential_is_valid()
    {
        await using var site = await PublicSite.StartAsync();
        var png = site.Blobs.Bytes(Containers.Credentials, BlobNames.CredentialFile(Id, "png"))!;

        var body = await UploadAsync(site, png, "badge.png");

        Assert.Equal("valid", (string?)body["verdict"]);
        Assert.All(body["checks"]!.AsArray(), c => Assert.NotEqual("failed", (string?)c!["outcome"]));
        Assert.Equal(site.Issuer.Urls.Credential(Id).AbsoluteUri, (string?)body["credential"]!["id"]);
    }

    [Fact]
    public async Task Uploaded_baked_SVG_of_our_credential_is_valid()
    {
        await using var site = await PublicSite.StartAsync();
        var svg = site.Blobs.Bytes(Containers.Credentials, BlobNames.CredentialFile(Id, "svg"))!;

        var body = await UploadAsync(site, svg, "badge.svg");

        Assert.Equal("valid", (string?)body["verdict"]);
    }

    [Fact]
    public async Task Tampered_PNG_fails_the_signature_check()
    {
        await using var site = await PublicSite.StartAsync();
        var jwt = site.Blobs.Text(Containers.Credentials, BlobNames.CredentialFile(Id, "jwt"))!;
        var parts = jwt.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        var name = (string)payload["name"]!;
        payload["name"] = (name[0] == 'X' ? 'Y' : 'X') + name[1..];
        var tampered = $"{parts[0]}.{Encode(payload)}.{parts[2]}";
        var art = File.ReadAllBytes(site.Catalog.ResolvePath(site.Catalog.Achievements[PublicSite.AchievementId].ImagePngPath));
        var png = PngBakery.Bake(art, BakedCredential.Ob3Jwt(tampered)).Value!;

        var body = await UploadAsync(site, png, "tampered.png");

        Assert.Equal("invalid", (string?)body["verdict"]);
        Assert.Equal("failed", Outcome(body, CheckCodes.JwtSignature));
    }

    [Theory]
    [InlineData("wrong-key", CheckCodes.JwtSignature)]
    [InlineData("alg-none", CheckCodes.JwtAlgorithm)]
    [InlineData("hs256-public-key", CheckCodes.JwtAlgorithm)]
    [InlineData("expired", CheckCodes.ValidUntil)]
    [InlineData("not-yet-valid", CheckCodes.ValidFrom)]
    [InlineData("schema-invalid", CheckCodes.Schema)]
    [InlineData("sub-mismatch", CheckCodes.JwtSub)]
    public async Task Purpose_built_bad_credential_fails_its_check(string kind, string code)
    {
        await using var site = await PublicSite.StartAsync();
        var jwt = await BadCredentialAsync(site, kind);

        var body = await PostTextAsync(site, jwt, "application/jwt");

        Assert.Equal("failed", Outcome(body, code));
        Assert.NotEqual("valid", (string?)body["verdict"]);
    }

    [Fact]
    public async Task Revoked_credential_has_verdict_revoked_and_a_failed_status_check()
    {
        await using var site = await PublicSite.StartAsync();
        await site.PublishStatusListAsync(PublicSite.StatusIndex);
        var jwt = site.Blobs.Text(Containers.Credentials, BlobNames.CredentialFile(Id, "jwt"))!;

        var body = await PostTextAsync(site, jwt, "application/jwt");

        Assert.Equal("revoked", (string?)body["verdict"]);
        Assert.Equal("failed", Outcome(body, CheckCodes.Status));
    }

    [Theory]
    [InlineData(PublicSite.LearnerEmail, "passed")]
    [InlineData("someone.else@example.edu", "failed")]
    public async Task Recipient_email_is_compared_with_the_hashed_identifier(string email, string expected)
    {
        await using var site = await PublicSite.StartAsync();
        var png = site.Blobs.Bytes(Containers.Credentials, BlobNames.CredentialFile(Id, "png"))!;

        var body = await UploadAsync(site, png, "badge.png", email);

        Assert.Equal(expected, Outcome(body, CheckCodes.Recipient));
    }

    [Fact]
    public async Task Not_an_image_is_a_not_png_problem()
    {
        await using var site = await PublicSite.StartAsync();
        await AssertProblemAsync(site, Upload(Encoding.ASCII.GetBytes("GIF89a not a badge"), "badge.gif"), 400, "not-png");
    }

    [Fact]
    public async Task Truncated_PNG_is_a_corrupt_image_problem()
    {
        await using var site = await PublicSite.StartAsync();
        var png = site.Blobs.Bytes(Containers.Credentials, BlobNames.CredentialFile(Id, "png"))!;
        await AssertProblemAsync(site, Upload(png[..(png.Length / 2)], "badge.png"), 400, "corrupt-image");
    }

    [Fact]
    public async Task PNG_without_a_credential_is_a_no_credential_problem()
    {
        await using var site = await PublicSite.StartAsync();
        await AssertProblemAsync(site, Upload(PngBuilder.Minimal().End().ToArray(), "plain.png"), 422, "no-credential");
    }

    [Theory]
    [InlineData("not.a-jwt")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln")]
    [InlineData("only-one-part")]
    public async Task Malformed_JWT_is_a_malformed_jwt_problem(string text)
    {
        await using var site = await PublicSite.StartAsync();
        await AssertProblemAsync(site, new StringContent(text, Encoding.ASCII, "application/jwt"), 400, "malformed-jwt");
    }

    [Fact]
    public async Task Malformed_JSON_is_a_malformed_json_problem()
    {
        await using var site = await PublicSite.StartAsync();
        await AssertProblemAsync(site, new StringContent("{\"type\": ", Encoding.UTF8, "application/json"), 400, "malformed-json");
    }

    [Fact]
    public async Task Upload_over_5_MB_is_a_413_problem()
    {
        await using var site = await PublicSite.StartAsync();
        await AssertProblemAsync(site, Upload(new byte[(5 * 1024 * 1024) + 1], "huge.png"), 413, "payload-too-large");
        await AssertProblemAsync(site, new ByteArrayContent(new byte[(5 * 1024 * 1024) + 1]) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, 413, "payload-too-large");
    }

    [Fact]
    public async Task Unsupported_media_type_is_a_415_problem()
    {
        await using var site = await PublicSite.StartAsync();
        await AssertProblemAsync(site, new StringContent("x", Encoding.UTF8, "application/xml"), 415, "unsupported-media-type");
    }

    [Fact]
    public async Task Our_OB2_assertion_is_verified_from_the_copy_hosted_at_its_id()
    {
        await using var site = await PublicSite.StartAsync();
        var assertion = site.Blobs.Text(Containers.Public, BlobNames.Ob2Assertion(Id))!;
        var urls = site.Issuer.Urls;
        site.Web.Answer(urls.Ob2Assertion(Id).AbsoluteUri, assertion, "application/ld+json");
        site.Web.Answer(urls.Ob2BadgeClass(PublicSite.AchievementId).AbsoluteUri, await site.GetStringAsync(urls.Ob2BadgeClass(PublicSite.AchievementId).AbsolutePath), "application/ld+json");
        site.Web.Answer(urls.Ob2Issuer(PublicSite.IssuerId).AbsoluteUri, await site.GetStringAsync(urls.Ob2Issuer(PublicSite.IssuerId).AbsolutePath), "application/ld+json");

        var body = await PostTextAsync(site, assertion, "application/json");

        Assert.True((string?)body["verdict"] == "valid", body.ToJsonString());
        Assert.Equal("passed", Outcome(body, "ob2-origin"));
    }

    [Theory]
    [MemberData(nameof(StandardFixtureTests.InScopeFixtures), MemberType = typeof(StandardFixtureTests))]
    public async Task Validator_fixture_through_the_API_gives_the_1EdTech_expectation(string file, string expected, string? probe)
    {
        await using var site = await PublicSite.StartAsync();
        var text = await File.ReadAllTextAsync(RepositoryPaths.Standard(file.Split('/')));

        var body = await PostTextAsync(site, text, "application/json");

        var failed = body["checks"]!.AsArray().Where(c => (string?)c!["outcome"] == "failed").Select(c => (string?)c!["code"]).ToList();
        var detail = $"{file} ({probe}): {body.ToJsonString()}";
        Assert.Equal("not-supported", Outcome(body, CheckCodes.Proof));
        if (expected == "valid")
        {
            Assert.True(failed.Count == 0, detail);
        }
        else
        {
            var code = probe switch
            {
                "IssuanceProbe" => CheckCodes.ValidFrom,
                "ExpirationProbe" => CheckCodes.ValidUntil,
                _ => CheckCodes.Schema,
            };
            Assert.True(failed.Contains(code), detail);
        }
    }

    [Fact]
    public async Task Page_upload_form_renders_the_verification_page_for_the_badge()
    {
        await using var site = await PublicSite.StartAsync();
        var png = site.Blobs.Bytes(Containers.Credentials, BlobNames.CredentialFile(Id, "png"))!;
        using var content = Upload(png, "badge.png");

        using var response = await site.Client.PostAsync("/credentials/verify", content);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<strong>Valid</strong>", html, StringComparison.Ordinal);
        Assert.Contains("Uploaded badge verification", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verification_page_has_a_script_free_upload_form()
    {
        await using var site = await PublicSite.StartAsync();

        var html = await site.GetStringAsync($"/credentials/{Id}");

        Assert.Contains("action=\"/credentials/verify\" enctype=\"multipart/form-data\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> BadCredentialAsync(PublicSite site, string kind)
    {
        var jwt = site.Blobs.Text(Containers.Credentials, BlobNames.CredentialFile(Id, "jwt"))!;
        var parts = jwt.Split('.');
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!.AsObject();
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        var credential = JsonNode.Parse(site.Blobs.Text(Containers.Credentials, BlobNames.CredentialFile(Id, "json"))!)!.AsObject();
        switch (kind)
        {
            case "wrong-key":
                using (var other = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    var input = $"{parts[0]}.{parts[1]}";
                    return $"{input}.{Base64Url.EncodeToString(other.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256))}";
                }
            case "alg-none":
                header["alg"] = "none";
                return $"{Encode(header)}.{parts[1]}.";
            case "hs256-public-key":
                header["alg"] = "HS256";
                var publicKey = await site.Services.GetRequiredService<ISigner>().GetPublicKeyAsync(site.Issuer.Key, CancellationToken.None);
                var signingInput = $"{Encode(header)}.{parts[1]}";
                var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(publicKey)), Encoding.ASCII.GetBytes(signingInput));
                return $"{signingInput}.{Base64Url.EncodeToString(mac)}";
            case "expired":
                credential["validUntil"] = "2026-01-20T00:00:00Z";
                return await site.SignAsync(credential, site.Issuer);
            case "not-yet-valid":
                credential["validFrom"] = "2026-06-01T00:00:00Z";
                return await site.SignAsync(credential, site.Issuer);
            case "schema-invalid":
                credential["type"] = new JsonArray("VerifiableCredential");
                return await site.SignAsync(credential, site.Issuer);
            case "sub-mismatch":
                payload["sub"] = "urn:uuid:00000000-0000-4000-8000-000000000000";
                return await SignRawAsync(site, header, payload);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static async Task<string> SignRawAsync(PublicSite site, JsonObject header, JsonObject payload)
    {
        var input = $"{Encode(header)}.{Encode(payload)}";
        var signature = await site.Services.GetRequiredService<ISigner>().SignDigestAsync(site.Issuer.Key, SHA256.HashData(Encoding.ASCII.GetBytes(input)), CancellationToken.None);
        return $"{input}.{Base64Url.EncodeToString(signature)}";
    }

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));

    private static string? Outcome(JsonObject body, string code) =>
        (string?)body["checks"]!.AsArray().FirstOrDefault(c => (string?)c!["code"] == code)?["outcome"];

    private static MultipartFormDataContent Upload(byte[] file, string name, string? recipient = null)
    {
        var content = new MultipartFormDataContent { { new ByteArrayContent(file), "file", name } };
        if (recipient is not null)
        {
            content.Add(new StringContent(recipient), "recipient");
        }
        return content;
    }

    private static async Task<JsonObject> UploadAsync(PublicSite site, byte[] file, string name, string? recipient = null)
    {
        using var content = Upload(file, name, recipient);
        return await PostAsync(site, content);
    }

    private static async Task<JsonObject> PostTextAsync(PublicSite site, string text, string mediaType)
    {
        using var content = new StringContent(text, Encoding.UTF8, mediaType);
        return await PostAsync(site, content);
    }

    private static async Task<JsonObject> PostAsync(PublicSite site, HttpContent content)
    {
        using var response = await site.Client.PostAsync("/api/verify", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task AssertProblemAsync(PublicSite site, HttpContent content, int status, string code)
    {
        using (content)
        {
            using var response = await site.Client.PostAsync("/api/verify", content);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("urn:credential-pipeline:problem:" + code, (string?)body["type"]);
            Assert.False(string.IsNullOrEmpty((string?)body["detail"]));
        }
    }
}
