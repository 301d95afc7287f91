using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core.Catalog;
using Pipeline.Core.Signing;
using Pipeline.Core.Status;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Status;

public sealed class StatusListCredentialTests
{
    private static readonly DateTimeOffset ValidFrom = new(2026, 12, 14, 9, 30, 0, TimeSpan.FromHours(-5));

    private static Issuer CreateIssuer() => new()
    {
        Id = "maine",
        Name = "University of Maine System",
        Url = new Uri("https://www.maine.edu/"),
        Email = "badges@maine.edu",
        Key = new SigningKeyReference("maine-rs256", SigningAlgorithm.RS256),
        PublicBaseUrl = new Uri("https://badges.example.edu/"),
    };

    [Fact]
    public void Create_has_the_shape_of_the_REC_example()
    {
        var example = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Standard("status", "examples", "example3-bitstring-status-list-credential.json")))!.AsObject();

        var credential = StatusListCredential.Create(CreateIssuer(), "1", new BitstringStatusList(), ValidFrom);

        Assert.Equal(example.Select(p => p.Key), credential.Select(p => p.Key));
        Assert.Equal(example["credentialSubject"]!.AsObject().Select(p => p.Key), credential["credentialSubject"]!.AsObject().Select(p => p.Key));
        Assert.True(JsonNode.DeepEquals(example["@context"], credential["@context"]));
        Assert.True(JsonNode.DeepEquals(example["type"], credential["type"]));
        Assert.Equal(example["credentialSubject"]!["type"]!.GetValue<string>(), credential["credentialSubject"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Create_for_an_issuer_uses_the_public_status_and_profile_urls()
    {
        var list = new BitstringStatusList();
        list.Set(23);

        var credential = StatusListCredential.Create(CreateIssuer(), "7", list, ValidFrom, validity: TimeSpan.FromDays(1), ttl: TimeSpan.FromMinutes(5));

        Assert.Equal("https://badges.example.edu/status/maine/7", credential["id"]!.GetValue<string>());
        Assert.Equal("https://badges.example.edu/issuers/maine", credential["issuer"]!.GetValue<string>());
        Assert.Equal("2026-12-14T14:30:00Z", credential["validFrom"]!.GetValue<string>());
        Assert.Equal("2026-12-15T14:30:00Z", credential["validUntil"]!.GetValue<string>());
        var subject = credential["credentialSubject"]!;
        Assert.Equal("https://badges.example.edu/status/maine/7#list", subject["id"]!.GetValue<string>());
        Assert.Equal("revocation", subject["statusPurpose"]!.GetValue<string>());
        Assert.Equal(300_000L, subject["ttl"]!.GetValue<long>());
        Assert.Equal([23], BitstringStatusList.Decode(subject["encodedList"]!.GetValue<string>()).List!.SetIndexes());
    }

    [Fact]
    public void Create_without_validity_or_ttl_omits_them()
    {
        var credential = StatusListCredential.Create(CreateIssuer(), "1", new BitstringStatusList(), ValidFrom);

        Assert.False(credential.ContainsKey("validUntil"));
        Assert.False(credential["credentialSubject"]!.AsObject().ContainsKey("ttl"));
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(credential.ToJsonString()).RootElement.ValueKind);
    }

    [Fact]
    public void Create_with_validUntil_not_after_validFrom_throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            StatusListCredential.Create(new Uri("https://x.example/status/a/1"), new Uri("https://x.example/issuers/a"), new BitstringStatusList(), ValidFrom, ValidFrom));
}
