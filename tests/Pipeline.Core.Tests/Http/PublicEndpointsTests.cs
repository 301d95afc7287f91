using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Http;

public sealed partial class PublicEndpointsTests
{
    private const string Browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static readonly string Id = PublicSite.CredentialId;

    [Theory]
    [InlineData("/issuers/arizona", null, 200, "application/json")]
    [InlineData("/issuers/arizona", Browser, 200, "text/html")]
    [InlineData("/issuers/arizona.png", null, 200, "image/png")]
    [InlineData("/issuers/arizona.svg", null, 404, "application/problem+json")]
    [InlineData("/issuers/arizona/did.json", null, 200, "application/json")]
    [InlineData("/issuers/arizona/jwks.json", null, 200, "application/jwk-set+json")]
    [InlineData("/.well-known/jwks.json", null, 200, "application/jwk-set+json")]
    [InlineData("/achievements/arizona-robotics", null, 200, "application/json")]
    [InlineData("/achievements/arizona-robotics", Browser, 200, "text/html")]
    [InlineData("/achievements/arizona-robotics.png", null, 200, "image/png")]
    [InlineData("/achievements/arizona-robotics.svg", null, 200, "image/svg+xml")]
    [InlineData("/credentials/{id}", null, 200, "text/html")]
    [InlineData("/credentials/{id}", Browser, 200, "text/html")]
    [InlineData("/credentials/{id}", "application/json", 200, "application/json")]
    [InlineData("/credentials/{id}", "application/vc+ld+json", 200, "application/vc+ld+json")]
    [InlineData("/credentials/{id}.jwt", null, 200, "text/plain")]
    [InlineData("/credentials/{id}.json", null, 200, "application/vc+ld+json")]
    [InlineData("/credentials/{id}.png", null, 200, "image/png")]
    [InlineData("/credentials/{id}.svg", null, 200, "image/svg+xml")]
    [InlineData("/status/arizona/1", null, 200, "text/plain")]
    [InlineData("/ob2/assertions/{id}", null, 200, "application/ld+json")]
    [InlineData("/ob2/assertions/{id}", "application/json", 200, "application/json")]
    [InlineData("/ob2/badges/arizona-robotics", null, 200, "application/ld+json")]
    [InlineData("/ob2/issuers/arizona", null, 200, "application/ld+json")]
    [InlineData("/healthz", null, 200, "application/json")]
    [InlineData("/claim/not-a-token", null, 404, "text/html")]
    [InlineData("/nowhere/at/all", null, 404, "application/problem+json")]
    public async Task Route_answers_with_its_status_and_content_type(string path, string? accept, int status, string mediaType)
    {
        await using var site = await PublicSite.StartAsync();

        using var response = await site.SendAsync(path.Replace("{id}", Id, StringComparison.Ordinal), accept);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Claim_page_with_a_valid_token_is_200_and_private()
    {
        await using var site = await PublicSite.StartAsync();

        using var response = await site.SendAsync("/claim/" + site.ClaimToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Status_list_is_cacheable_for_five_minutes()
    {
        await using var site = await PublicSite.StartAsync();

        using var response = await site.SendAsync("/status/arizona/1");

        Assert.Equal(TimeSpan.FromSeconds(300), response.Headers.CacheControl?.MaxAge);
        Assert.Equal(site.Blobs.Text(Containers.Public, BlobNames.StatusList("arizona", "1")), await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/.well-known/jwks.json")]
    [InlineData("/issuers/arizona/jwks.json")]
    public async Task Served_JWKS_verifies_the_stored_JWT(string jwksPath)
    {
        await using var site = await PublicSite.StartAsync();
        var jwt = await site.GetStringAsync($"/credentials/{Id}.jwt");
        var jwks = new JsonWebKeySet(await site.GetStringAsync(jwksPath));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidIssuer = site.Issuer.Urls.Issuer("arizona").AbsoluteUri,
            ValidateAudience = false,
            ValidateLifetime = false,
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        var kid = new JsonWebToken(jwt).Kid;
        Assert.Contains(jwks.Keys, k => k.Kid == kid);
    }

    [Fact]
    public async Task All_issuers_JWKS_has_one_key_per_issuer_each_with_iss()
    {
        await using var site = await PublicSite.StartAsync();

        var keys = JsonNode.Parse(await site.GetStringAsync("/.well-known/jwks.json"))!["keys"]!.AsArray();

        Assert.Equal(
            site.Catalog.Issuers.Values.Select(i => i.Urls.Issuer(i.Id).AbsoluteUri).Order(StringComparer.Ordinal),
            keys.Select(k => (string)k!["iss"]!).Order(StringComparer.Ordinal));
        Assert.All(keys, k => Assert.Null(k!["d"]));
    }

    [Fact]
    public async Task Issuer_profile_validates_against_the_OB3_profile_schema()
    {
        await using var site = await PublicSite.StartAsync();

        var profile = JsonNode.Parse(await site.GetStringAsync("/issuers/arizona"))!;

        Assert.Empty(CredentialTestData.SchemaErrors("ob_v3p0_profile_schema.json", profile));
        Assert.Equal("https://badges.arizona.example.edu/issuers/arizona.png", (string?)profile["image"]?["id"]);
    }

    [Fact]
    public async Task Credential_JSON_validates_against_the_OB3_achievement_credential_schema()
    {
        await using var site = await PublicSite.StartAsync();

        var credential = JsonNode.Parse(await site.GetStringAsync($"/credentials/{Id}", "application/json"))!;

        Assert.Empty(CredentialTestData.SchemaErrors("ob_v3p0_achievementcredential_schema.json", credential));
    }

    [Fact]
    public async Task Verification_page_shows_Valid_then_Revoked_after_the_status_bit_is_set()
    {
        await using var site = await PublicSite.StartAsync();

        var before = await site.GetStringAsync($"/credentials/{Id}");
        await site.PublishStatusListAsync(PublicSite.StatusIndex);
        site.Time.Advance(CredentialVerificationCache.StatusListRecheck);
        var after = await site.GetStringAsync($"/credentials/{Id}");

        Assert.Equal("Valid", Verdict(before));
        Assert.Equal("Revoked", Verdict(after));
        Assert.Contains("The issuer has revoked this credential", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verification_page_shows_Expired_after_validUntil()
    {
        await using var site = await PublicSite.StartAsync();
        site.Time.SetUtcNow(PublicSite.AwardedAt.AddYears(3).AddDays(1));

        Assert.Equal("Expired", Verdict(await site.GetStringAsync($"/credentials/{Id}")));
    }

    [Fact]
    public async Task Verification_page_shows_Invalid_for_a_tampered_credential()
    {
        await using var site = await PublicSite.StartAsync();
        var parts = site.Blobs.Text(Containers.Credentials, BlobNames.CredentialFile(Id, "jwt"))!.Split('.');
        var forged = parts[0] + "." + parts[1][..^4] + "AAAA." + parts[2];
        site.Blobs.Put(Containers.Credentials, BlobNames.CredentialFile(Id, "jwt"), forged);

        Assert.Equal("Invalid", Verdict(await site.GetStringAsync($"/credentials/{Id}")));
    }

    [Fact]
    public async Task Verification_page_explains_each_check_and_never_shows_the_email()
    {
        await using var site = await PublicSite.StartAsync();

        var page = await site.GetStringAsync($"/credentials/{Id}");

        Assert.Contains("The issuer&#x27;s signature matches", page, StringComparison.Ordinal);
        Assert.Contains("hashed email address", page, StringComparison.Ordinal);
        Assert.DoesNotContain("cobot.learner", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<html lang=\"en\">", page, StringComparison.Ordinal);
        Assert.Contains($"<img class=\"badge\" src=\"{Id}.png\" alt=\"", page, StringComparison.Ordinal);
        Assert.Contains("Collaborative Robot Safety", page, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/issuers/nobody")]
    [InlineData("/issuers/nobody/did.json")]
    [InlineData("/issuers/nobody/jwks.json")]
    [InlineData("/achievements/nothing")]
    [InlineData("/achievements/nothing.png")]
    [InlineData("/credentials/not-an-id")]
    [InlineData("/credentials/AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/credentials/AAAAAAAAAAAAAAAAAAAAAA.jwt")]
    [InlineData("/status/arizona/2")]
    [InlineData("/status/nobody/1")]
    [InlineData("/ob2/assertions/not-an-id")]
    [InlineData("/ob2/badges/nothing")]
    [InlineData("/ob2/issuers/nobody")]
    public async Task Unknown_id_is_404_problem_details(string path)
    {
        await using var site = await PublicSite.StartAsync();

        using var response = await site.SendAsync(path, "application/json");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ProblemTypes.NotFound.Type, (string?)problem["type"]);
        Assert.Equal("Not found", (string?)problem["title"]);
        Assert.Equal(404, (int?)problem["status"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]));
        Assert.Equal(path, (string?)problem["instance"]);
    }

    [Fact]
    public async Task Unknown_id_from_a_browser_is_an_HTML_404_page()
    {
        await using var site = await PublicSite.StartAsync();

        using var response = await site.SendAsync("/credentials/AAAAAAAAAAAAAAAAAAAAAA", Browser);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Not found</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Claim_page_encodes_learner_and_catalog_markup()
    {
        await using var site = await PublicSite.StartAsync();

        var page = await site.GetStringAsync("/claim/" + site.ClaimToken);

        Assert.Contains("Congratulations, &lt;script&gt;alert(1)&lt;/script&gt; Tester!", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("collaborative robots &lt;b&gt;safely&lt;/b&gt; &amp; by the book.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Claim_page_shows_the_badge_dates_downloads_and_verification_link()
    {
        await using var site = await PublicSite.StartAsync();

        var page = await site.GetStringAsync("/claim/" + site.ClaimToken);

        Assert.Contains($"<img class=\"badge\" src=\"../credentials/{Id}.png\"", page, StringComparison.Ordinal);
        Assert.Contains("<time datetime=\"2026-01-14T16:30:00Z\">14 January 2026</time>", page, StringComparison.Ordinal);
        Assert.Contains("<time datetime=\"2029-01-14T16:30:00Z\">14 January 2029</time>", page, StringComparison.Ordinal);
        foreach (var extension in new[] { "png", "svg", "jwt", "json" })
        {
            Assert.Contains($"href=\"../credentials/{Id}.{extension}\" download", page, StringComparison.Ordinal);
        }
        Assert.Contains($"https://badges.arizona.example.edu/credentials/{Id}", page, StringComparison.Ordinal);
        Assert.Contains("University of Arizona", page, StringComparison.Ordinal);
        Assert.DoesNotContain(PublicSite.LearnerEmail, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Claim_page_LinkedIn_link_carries_the_certification_fields()
    {
        await using var site = await PublicSite.StartAsync();

        var page = await site.GetStringAsync("/claim/" + site.ClaimToken);
        var href = WebUtility.HtmlDecode(LinkedInHref().Match(page).Groups[1].Value);
        var uri = new Uri(href);
        var query = uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));

        Assert.Equal("https://www.linkedin.com/profile/add", uri.GetLeftPart(UriPartial.Path));
        Assert.Equal("CERTIFICATION_NAME", query["startTask"]);
        Assert.Equal(site.Catalog.Achievements[PublicSite.AchievementId].Name, query["name"]);
        Assert.Equal("University of Arizona", query["organizationName"]);
        Assert.Equal("2026", query["issueYear"]);
        Assert.Equal("1", query["issueMonth"]);
        Assert.Equal("2029", query["expirationYear"]);
        Assert.Equal("1", query["expirationMonth"]);
        Assert.Equal($"https://badges.arizona.example.edu/credentials/{Id}", query["certUrl"]);
        Assert.Equal(Id, query["certId"]);
    }

    [Fact]
    public async Task Claim_with_unknown_or_expired_token_gives_the_same_response()
    {
        await using var site = await PublicSite.StartAsync();

        using var unknown = await site.SendAsync("/claim/" + ClaimTokens.Create().Token);
        var unknownBody = await unknown.Content.ReadAsStringAsync();
        site.Time.SetUtcNow(PublicSite.Now.AddDays(31));
        using var expired = await site.SendAsync("/claim/" + site.ClaimToken);
        var expiredBody = await expired.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(unknown.StatusCode, expired.StatusCode);
        Assert.Equal(unknownBody, expiredBody);
        Assert.Contains("<form method=\"post\" action=\"/claim\">", unknownBody, StringComparison.Ordinal);
        Assert.Contains("<label for=\"email\">", unknownBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OB2_assertion_is_410_with_the_revoked_body_when_the_ledger_says_revoked()
    {
        await using var site = await PublicSite.StartAsync();
        await site.Credentials.UpdateStateAsync(Id, CredentialState.Revoked, "Issued in error.", PublicSite.Now, CancellationToken.None);

        using var response = await site.SendAsync($"/ob2/assertions/{Id}");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonNode.DeepEquals(
            OpenBadges2Documents.RevokedAssertion(site.Issuer, CredentialId.Compute(PublicSite.IssuerId, PublicSite.AchievementId, "S2001", null), "Issued in error."),
            body));
    }

    [Fact]
    public async Task OB2_assertion_is_the_stored_hosted_assertion()
    {
        await using var site = await PublicSite.StartAsync();

        var body = JsonNode.Parse(await site.GetStringAsync($"/ob2/assertions/{Id}"))!;

        Assert.Equal($"https://badges.arizona.example.edu/ob2/assertions/{Id}", (string?)body["id"]);
        Assert.Equal("https://badges.arizona.example.edu/ob2/badges/" + PublicSite.AchievementId, (string?)body["badge"]);
    }

    [Fact]
    public async Task Health_reports_ok()
    {
        await using var site = await PublicSite.StartAsync();

        Assert.Equal("ok", (string?)JsonNode.Parse(await site.GetStringAsync("/healthz"))!["status"]);
    }

    internal static string Verdict(string page) => VerdictPattern().Match(page) is { Success: true } match ? match.Groups[1].Value : "(none)";

    [GeneratedRegex("<div class=\"verdict verdict-[a-z]+\" role=\"status\"><strong>([A-Za-z]+)</strong>")]
    private static partial Regex VerdictPattern();

    [GeneratedRegex("<a class=\"button\" href=\"([^\"]+)\">Add to LinkedIn profile</a>")]
    private static partial Regex LinkedInHref();
}
