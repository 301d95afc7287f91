using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Core.Http.Verify;
using Pipeline.Core.Tests.TestData;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Http.Verify;

/// <summary>
/// <c>POST /api/verify</c> with OB 2.0 hosted assertions: the 1EdTech validator fixtures and the spec's examples, served
/// by a canned web at their own ids (https://example.org/…); nothing leaves the machine.
/// </summary>
public sealed class Ob2HostedVerificationTests
{
    private const string AssertionUrl = "https://example.org/beths-robotics-badge.json";
    private const string BadgeClassUrl = "https://example.org/robotics-badge.json";
    private const string IssuerUrl = "https://example.org/organization.json";

    /// <summary>The email the validator fixtures' recipient hash (salt "deadsea") is made from.</summary>
    private const string FixtureRecipient = "nobody@example.org";

    private static string Fixture(string folder, string name) => File.ReadAllText(RepositoryPaths.Standard("ob2", folder, name));

    private static async Task<PublicSite> SiteServingAsync(string hostedAssertion)
    {
        var site = await PublicSite.StartAsync();
        site.Web.Answer(AssertionUrl, hostedAssertion, "application/ld+json");
        site.Web.Answer(BadgeClassUrl, Fixture("validator", "robotics-badge.badgeclass.json"), "application/ld+json");
        site.Web.Answer(IssuerUrl, Fixture("validator", "organization.issuer.json"), "application/ld+json");
        return site;
    }

    [Fact]
    public async Task Basic_assertion_is_valid_from_its_hosted_copy_with_every_check_passed()
    {
        var assertion = Fixture("validator", "basic-assertion.json");
        await using var site = await SiteServingAsync(assertion);

        var body = await VerifyAsync(site, assertion);

        Assert.Equal("valid", (string?)body["verdict"]);
        Assert.All(body["checks"]!.AsArray(), c => Assert.Equal("passed", (string?)c!["outcome"]));
        Assert.Equal(
            [Ob2CheckCodes.Assertion, Ob2CheckCodes.Hosted, Ob2CheckCodes.BadgeClass, Ob2CheckCodes.Issuer, Ob2CheckCodes.Origin, CheckCodes.ValidFrom, CheckCodes.ValidUntil, CheckCodes.Status],
            body["checks"]!.AsArray().Select(c => (string?)c!["code"]));
        Assert.Contains(site.Web.Requests, r => r.RequestUri!.AbsoluteUri == AssertionUrl);
    }

    [Fact]
    public async Task The_hosted_copy_is_used_not_the_uploaded_one()
    {
        await using var site = await SiteServingAsync(Fixture("validator", "basic-assertion-expired.json"));

        var body = await VerifyAsync(site, Fixture("validator", "basic-assertion.json"));

        Assert.Equal("expired", (string?)body["verdict"]);
    }

    [Fact]
    public async Task An_assertion_answering_410_Gone_is_revoked()
    {
        await using var site = await SiteServingAsync("{}");
        site.Web.Answer(AssertionUrl, Fixture("examples", "spec-revoked-hosted-assertion.json"), "application/ld+json", HttpStatusCode.Gone);

        var body = await VerifyAsync(site, Fixture("validator", "basic-assertion.json"));

        Assert.Equal("revoked", (string?)body["verdict"]);
        Assert.Equal("revoked", (string?)body["status"]);
        Assert.Equal("failed", Outcome(body, CheckCodes.Status));
    }

    [Fact]
    public async Task A_hosted_copy_marked_revoked_is_revoked_with_its_reason()
    {
        await using var site = await SiteServingAsync(Fixture("examples", "spec-revoked-hosted-assertion.json"));

        var body = await VerifyAsync(site, Fixture("validator", "basic-assertion.json"));

        Assert.Equal("revoked", (string?)body["verdict"]);
        Assert.Contains("three stacked children", Message(body, CheckCodes.Status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_fixture_is_expired()
    {
        var assertion = Fixture("validator", "basic-assertion-expired.json");
        await using var site = await SiteServingAsync(assertion);

        var body = await VerifyAsync(site, assertion);

        Assert.Equal("expired", (string?)body["verdict"]);
        Assert.Equal("failed", Outcome(body, CheckCodes.ValidUntil));
    }

    [Fact]
    public async Task Fixture_issued_in_the_future_is_invalid_because_issuedOn_is_not_reached()
    {
        var assertion = Fixture("validator", "basic-assertion-in-future.json");
        await using var site = await SiteServingAsync(assertion);

        var body = await VerifyAsync(site, assertion);

        Assert.Equal("invalid", (string?)body["verdict"]);
        Assert.Equal("failed", Outcome(body, CheckCodes.ValidFrom));
    }

    [Theory]
    [InlineData("basic-assertion-invalid-context.json", "@context")]
    [InlineData("basic-assertion-invalid-type.json", "type")]
    public async Task Invalid_context_or_type_fixture_is_invalid(string file, string what)
    {
        var assertion = Fixture("validator", file);
        await using var site = await SiteServingAsync(assertion);

        var body = await VerifyAsync(site, assertion);

        Assert.Equal("invalid", (string?)body["verdict"]);
        Assert.Equal("failed", Outcome(body, Ob2CheckCodes.Assertion));
        Assert.Contains(what, Message(body, Ob2CheckCodes.Assertion), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_upload_whose_hosted_copy_has_an_invalid_context_is_invalid()
    {
        await using var site = await SiteServingAsync(Fixture("validator", "basic-assertion-invalid-context.json"));

        var body = await VerifyAsync(site, Fixture("validator", "basic-assertion.json"));

        Assert.Equal("invalid", (string?)body["verdict"]);
        Assert.StartsWith("The hosted copy", Message(body, Ob2CheckCodes.Assertion), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_badge_class_outside_the_issuers_origin_is_invalid_unless_the_issuer_allows_its_origin()
    {
        var assertion = JsonNode.Parse(Fixture("validator", "basic-assertion.json"))!.AsObject();
        assertion["badge"] = "https://badges.example.net/robotics-badge.json";
        var badgeClass = JsonNode.Parse(Fixture("validator", "robotics-badge.badgeclass.json"))!.AsObject();
        badgeClass["id"] = "https://badges.example.net/robotics-badge.json";
        await using var site = await SiteServingAsync(assertion.ToJsonString());
        site.Web.Answer("https://badges.example.net/robotics-badge.json", badgeClass.ToJsonString());

        var outside = await VerifyAsync(site, assertion.ToJsonString());
        var issuer = JsonNode.Parse(Fixture("validator", "organization.issuer.json"))!.AsObject();
        issuer["verification"] = new JsonObject { ["allowedOrigins"] = new JsonArray("example.org", "badges.example.net") };
        await using var allowing = await SiteServingAsync(assertion.ToJsonString());
        allowing.Web.Answer("https://badges.example.net/robotics-badge.json", badgeClass.ToJsonString());
        allowing.Web.Answer(IssuerUrl, issuer.ToJsonString());
        var allowed = await VerifyAsync(allowing, assertion.ToJsonString());

        Assert.Equal("invalid", (string?)outside["verdict"]);
        Assert.Equal("failed", Outcome(outside, Ob2CheckCodes.Origin));
        Assert.Equal("valid", (string?)allowed["verdict"]);
    }

    /// <summary>Issue 21: documents fetched from another issuer are outside input too; one naming a member twice answered 500.</summary>
    [Fact]
    public async Task A_hosted_badge_class_naming_a_member_twice_is_invalid_not_a_server_error()
    {
        var assertion = Fixture("validator", "basic-assertion.json");
        await using var site = await SiteServingAsync(assertion);
        var badgeClass = Fixture("validator", "robotics-badge.badgeclass.json").TrimEnd().TrimEnd('}') + ",\"name\":\"Another name\"}";
        site.Web.Answer(BadgeClassUrl, badgeClass, "application/ld+json");

        var body = await VerifyAsync(site, assertion);

        Assert.Equal("invalid", (string?)body["verdict"]);
        Assert.Equal("failed", Outcome(body, Ob2CheckCodes.BadgeClass));
    }

    [Fact]
    public async Task An_assertion_and_badge_class_hosted_by_someone_else_naming_a_real_issuer_are_invalid()
    {
        const string ForgedAssertion = "https://attacker.example/badge.json";
        const string ForgedBadgeClass = "https://attacker.example/badge-class.json";
        var assertion = JsonNode.Parse(Fixture("validator", "basic-assertion.json"))!.AsObject();
        assertion["id"] = ForgedAssertion;
        assertion["badge"] = ForgedBadgeClass;
        var badgeClass = JsonNode.Parse(Fixture("validator", "robotics-badge.badgeclass.json"))!.AsObject();
        badgeClass["id"] = ForgedBadgeClass;
        badgeClass["name"] = "Doctor of Medicine";
        badgeClass["issuer"] = new JsonObject { ["id"] = IssuerUrl, ["type"] = "Issuer", ["name"] = "Example Organization" };
        await using var site = await SiteServingAsync(Fixture("validator", "basic-assertion.json"));
        site.Web.Answer(ForgedAssertion, assertion.ToJsonString(), "application/ld+json");
        site.Web.Answer(ForgedBadgeClass, badgeClass.ToJsonString(), "application/ld+json");

        var body = await VerifyAsync(site, assertion.ToJsonString());

        Assert.Equal("invalid", (string?)body["verdict"]);
        Assert.Equal("passed", Outcome(body, Ob2CheckCodes.Issuer));
        Assert.Equal("failed", Outcome(body, Ob2CheckCodes.Origin));
        Assert.Null(body["credential"]!["issuer"]);
    }

    [Fact]
    public async Task A_valid_assertion_names_the_issuer_profile_whose_origin_covers_it_in_the_API_and_on_the_page()
    {
        var assertion = Fixture("validator", "basic-assertion.json");
        await using var site = await SiteServingAsync(assertion);

        var body = await VerifyAsync(site, assertion);
        using var form = new MultipartFormDataContent { { new StringContent(assertion), "credential" } };
        using var page = await site.Client.PostAsync("/credentials/verify", form);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal("valid", (string?)body["verdict"]);
        Assert.Equal(IssuerUrl, (string?)body["credential"]!["issuer"]);
        var name = (string?)JsonNode.Parse(Fixture("validator", "organization.issuer.json"))!["name"];
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode($"This badge is authentic: {name} ({IssuerUrl}) issued it"), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hosted_copy_with_another_id_is_invalid()
    {
        var moved = JsonNode.Parse(Fixture("validator", "basic-assertion.json"))!.AsObject();
        moved["id"] = "https://example.org/someone-elses-badge.json";
        await using var site = await SiteServingAsync(moved.ToJsonString());

        var body = await VerifyAsync(site, Fixture("validator", "basic-assertion.json"));

        Assert.Equal("invalid", (string?)body["verdict"]);
        Assert.Equal("failed", Outcome(body, Ob2CheckCodes.Hosted));
    }

    [Fact]
    public async Task An_assertion_whose_issuer_does_not_answer_is_invalid()
    {
        await using var site = await PublicSite.StartAsync();

        var body = await VerifyAsync(site, Fixture("validator", "basic-assertion.json"));

        Assert.Equal("invalid", (string?)body["verdict"]);
        Assert.Contains("answered 404", Message(body, Ob2CheckCodes.Hosted), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FixtureRecipient, "passed")]
    [InlineData(" NOBODY@example.org ", "passed")]
    [InlineData("somebody@example.org", "failed")]
    public async Task Recipient_email_is_compared_with_the_salted_hash(string email, string expected)
    {
        var assertion = Fixture("validator", "basic-assertion.json");
        await using var site = await SiteServingAsync(assertion);

        var body = await VerifyAsync(site, assertion, email);

        Assert.Equal(expected, Outcome(body, CheckCodes.Recipient));
    }

    [Fact]
    public async Task A_signed_OB2_assertion_is_not_accepted_as_valid()
    {
        await using var site = await PublicSite.StartAsync();
        using var content = new StringContent(Fixture("validator", "signed-assertion.jwt").Trim(), Encoding.UTF8, "application/jwt");
        using var response = await site.Client.PostAsync("/api/verify", content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("invalid", (string?)body["verdict"]);
    }

    private static async Task<JsonObject> VerifyAsync(PublicSite site, string assertion, string? recipient = null)
    {
        using var content = new StringContent(assertion, Encoding.UTF8, "application/json");
        var path = recipient is null ? "/api/verify" : "/api/verify?recipient=" + Uri.EscapeDataString(recipient);
        using var response = await site.Client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static string? Outcome(JsonObject body, string code) =>
        (string?)body["checks"]!.AsArray().FirstOrDefault(c => (string?)c!["code"] == code)?["outcome"];

    private static string Message(JsonObject body, string code) =>
        (string?)body["checks"]!.AsArray().FirstOrDefault(c => (string?)c!["code"] == code)?["message"] ?? "";
}
