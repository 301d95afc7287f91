using System.Text.Json.Nodes;
using Pipeline.Core.Credentials;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Credentials;

public sealed class OpenBadges2DocumentsTests
{
    private static JsonObject Shared(params string[] path) => JsonNode.Parse(File.ReadAllText(RepositoryPaths.Standard(["ob2", .. path])))!.AsObject();

    private static void AssertSameShape(JsonObject expected, JsonObject actual, params string[] optionalOnlyInExpected)
    {
        foreach (var (name, value) in expected)
        {
            if (optionalOnlyInExpected.Contains(name))
            {
                continue;
            }
            Assert.True(actual.ContainsKey(name), $"missing {name}");
            Assert.Equal(value!.GetValueKind(), actual[name]!.GetValueKind());
        }
        Assert.Equal(expected["@context"]?.ToJsonString(), actual["@context"]?.ToJsonString());
        Assert.Equal(expected["type"]?.ToJsonString(), actual["type"]?.ToJsonString());
    }

    private static JsonObject Assertion() => OpenBadges2Documents.Assertion(
        CredentialTestData.Request(CredentialTestData.Certificate()),
        new Uri("https://badges.example.edu/credentials/x.png"));

    [Fact]
    public void Assertion_has_the_keys_and_types_of_the_spec_hosted_assertion()
    {
        var assertion = Assertion();
        AssertSameShape(Shared("examples", "spec-assertion-hosted.json"), assertion, "evidence");
        AssertSameShape(Shared("validator", "basic-assertion.json"), assertion, "evidence");
        Assert.Equal("""{"type":"hosted"}""", assertion["verification"]!.ToJsonString());
        var recipient = assertion["recipient"]!;
        Assert.True(RecipientIdentity.MatchesEmail((string)recipient["identity"]!, (string?)recipient["salt"], "ana.lopez@example.edu"));
        Assert.Equal("2028-01-14T16:30:00Z", (string?)assertion["expires"]);
    }

    [Fact]
    public void BadgeClass_and_issuer_have_the_keys_of_the_validator_assets()
    {
        var issuer = CredentialTestData.Issuer();
        var badge = OpenBadges2Documents.BadgeClass(CredentialTestData.Certificate(), issuer, new Uri("https://badges.example.edu/achievements/ml-certificate/image.png"));
        var profile = OpenBadges2Documents.IssuerProfile(issuer, null);
        var expectedBadge = Shared("validator", "robotics-badge.badgeclass.json");
        expectedBadge.Remove("criteria");
        AssertSameShape(expectedBadge, badge);
        Assert.NotNull(badge["criteria"]!["narrative"]);
        AssertSameShape(Shared("validator", "organization.issuer.json"), profile, "publicKey");
        Assert.Equal((string?)profile["id"], (string?)badge["issuer"]);
    }

    [Fact]
    public void Assertion_and_badge_class_share_the_issuer_profile_origin()
    {
        var issuer = CredentialTestData.Issuer();
        var origin = new Uri((string)OpenBadges2Documents.IssuerProfile(issuer, null)["id"]!).GetLeftPart(UriPartial.Authority);
        var assertion = Assertion();
        Assert.Equal(origin, new Uri((string)assertion["id"]!).GetLeftPart(UriPartial.Authority));
        Assert.Equal(origin, new Uri((string)assertion["badge"]!).GetLeftPart(UriPartial.Authority));
        Assert.StartsWith("https://", origin, StringComparison.Ordinal);
    }

    [Fact]
    public void Revoked_body_has_the_keys_of_the_spec_example()
    {
        var request = CredentialTestData.Request(CredentialTestData.SimpleBadge());
        var revoked = OpenBadges2Documents.RevokedAssertion(request.Issuer, request.Id, "Issued in error.");
        AssertSameShape(Shared("examples", "spec-revoked-hosted-assertion.json"), revoked);
        Assert.Equal((string?)OpenBadges2Documents.Assertion(request, new Uri("https://badges.example.edu/x.png"))["id"], (string?)revoked["id"]);
        Assert.True((bool)revoked["revoked"]!);
    }
}
