using System.Text.Json.Nodes;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Credentials;

public sealed class OpenBadgeCredentialBuilderTests
{
    public static TheoryData<string> AchievementIds() => new(CredentialTestData.Achievements().Select(a => a.Id));

    private static JsonObject Build(string achievementId) =>
        OpenBadgeCredentialBuilder.Build(CredentialTestData.Request(CredentialTestData.Achievements().Single(a => a.Id == achievementId)));

    [Theory]
    [MemberData(nameof(AchievementIds))]
    public void Every_built_credential_validates_against_the_shared_AchievementCredential_schema(string achievementId)
    {
        Assert.Empty(CredentialTestData.SchemaErrors("ob_v3p0_achievementcredential_schema.json", Build(achievementId)));
    }

    [Fact]
    public void Top_level_members_come_in_the_spec_order()
    {
        Assert.Equal(
            ["@context", "id", "type", "issuer", "validFrom", "validUntil", "awardedDate", "name", "description", "image",
             "credentialSubject", "evidence", "credentialSchema", "credentialStatus"],
            Build("ml-certificate").Select(p => p.Key));
    }

    [Fact]
    public void Credential_carries_the_contexts_types_urls_and_dates_of_the_design()
    {
        var request = CredentialTestData.Request(CredentialTestData.Certificate());
        var credential = OpenBadgeCredentialBuilder.Build(request);
        Assert.Equal("""["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]""", credential["@context"]!.ToJsonString());
        Assert.Equal("""["VerifiableCredential","OpenBadgeCredential"]""", credential["type"]!.ToJsonString());
        Assert.Equal($"https://badges.example.edu/credentials/{request.Id.Value}", (string?)credential["id"]);
        Assert.Equal("https://badges.example.edu/issuers/engineering", (string?)credential["issuer"]!["id"]);
        Assert.Equal("2026-01-15T10:00:00Z", (string?)credential["validFrom"]);
        Assert.Equal("2028-01-14T16:30:00Z", (string?)credential["validUntil"]);
        Assert.Equal("2026-01-14T16:30:00Z", (string?)credential["awardedDate"]);
        var subject = credential["credentialSubject"]!;
        Assert.Equal(request.SubjectId, (string?)subject["id"]);
        Assert.Equal(RecipientIdentity.IdentityHash("ana.lopez@example.edu", CredentialTestData.Salt), (string?)subject["identifier"]![0]!["identityHash"]);
        Assert.Equal("https://badges.example.edu/achievements/ml-certificate", (string?)subject["achievement"]!["id"]);
        Assert.Equal("""[{"type":["Result"],"value":"A-"}]""", subject["result"]!.ToJsonString());
        Assert.Equal(6m, (decimal)subject["creditsEarned"]!);
        Assert.Equal(3, credential["evidence"]!.AsArray().Count);
        Assert.Equal(
            """{"id":"https://badges.example.edu/status/engineering/1#94567","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"94567","statusListCredential":"https://badges.example.edu/status/engineering/1"}""",
            credential["credentialStatus"]!.ToJsonString());
    }

    [Fact]
    public void Absent_optional_values_are_omitted_not_null_or_empty()
    {
        var credential = Build("intro-robotics");
        Assert.False(credential.ContainsKey("validUntil"));
        Assert.False(credential.ContainsKey("evidence"));
        var subject = credential["credentialSubject"]!.AsObject();
        Assert.False(subject.ContainsKey("result"));
        Assert.False(subject.ContainsKey("creditsEarned"));
        var achievement = subject["achievement"]!.AsObject();
        foreach (var name in new[] { "tag", "alignment", "creditsAvailable", "fieldOfStudy", "humanCode" })
        {
            Assert.False(achievement.ContainsKey(name), name);
        }
        Assert.DoesNotContain("null", credential.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("[]", credential.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Credential_never_reveals_the_learner_id_email_or_name()
    {
        var text = Build("ml-certificate").ToJsonString();
        Assert.DoesNotContain("S1001", text, StringComparison.Ordinal);
        Assert.DoesNotContain("lopez", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Renewal_in_another_award_period_is_another_credential()
    {
        var request = CredentialTestData.Request(CredentialTestData.YearlyCertification());
        Assert.NotEqual(request.Id, (request with { AwardPeriod = "2027" }).Id);
    }

    [Fact]
    public void Achievement_of_another_issuer_is_rejected()
    {
        var request = CredentialTestData.Request(CredentialTestData.SimpleBadge() with { IssuerId = "business" });
        Assert.Throws<ArgumentException>(() => OpenBadgeCredentialBuilder.Build(request));
    }
}
