using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Credentials;
using Pipeline.Core.Signing;
using Pipeline.Core.Tests.TestData;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Credentials;

/// <summary>
/// Issue #3's bar: every credential the sample catalog can produce validates against the shared OB 3.0 schema and
/// its VC-JWT verifies against the issuer's JWKS (RS256 and ES256 issuers alike).
/// </summary>
public sealed class SampleCatalogCredentialTests(SampleCatalogCredentialTests.IssuerKeysFixture keys)
    : IClassFixture<SampleCatalogCredentialTests.IssuerKeysFixture>
{
    /// <summary>One key per sample issuer for the whole class (RSA key generation is the slow part).</summary>
    public sealed class IssuerKeysFixture : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-keys-").FullName;

        public IssuerKeysFixture() => Signer = new LocalJwkSigner(_folder);

        public LocalJwkSigner Signer { get; }

        public void Dispose()
        {
            Signer.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }

    public static TheoryData<string> SampleAchievements() => new(SampleCatalog.Catalog.Achievements.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(SampleAchievements))]
    public async Task Every_sample_credential_is_schema_valid_and_verifies_against_its_issuers_jwks(string achievementId)
    {
        var catalog = SampleCatalog.Catalog;
        var achievement = catalog.Achievements[achievementId];
        var issuer = catalog.IssuerOf(achievement);
        var signer = keys.Signer;
        await signer.EnsureKeyAsync(issuer.Key, CancellationToken.None);
        var request = CredentialTestData.Request(achievement, issuer) with
        {
            Status = new StatusListEntry(issuer.Urls.StatusList(issuer.Id, "1"), 4242),
            AchievementImage = issuer.Urls.AchievementImage(achievement.Id, "png"),
            IssuerImage = null,
        };
        var credential = OpenBadgeCredentialBuilder.Build(request);

        Assert.Empty(CredentialTestData.SchemaErrors("ob_v3p0_achievementcredential_schema.json", credential));

        var jwt = await new VcJwt(signer).SignCredentialAsync(credential, issuer, CancellationToken.None);
        var jwks = IssuerDocuments.IssuerJwks(issuer, await signer.GetPublicKeyAsync(issuer.Key, CancellationToken.None));
        var verifier = new CredentialVerifier(new JwksKeyResolver(jwks, publisher: issuer.Urls.Issuer(issuer.Id).AbsoluteUri), new FakeTimeProvider(CredentialTestData.Now));
        var result = await verifier.VerifyAsync(jwt, null, CancellationToken.None);

        Assert.True(result.IsValid, string.Join("; ", result.Checks.Where(c => c.Outcome == CheckOutcome.Failed).Select(c => $"{c.Code}: {c.Message}")));
        Assert.Equal(issuer.Key.Algorithm.ToString(), JsonNode.Parse(Base64UrlDecode(jwt.Split('.')[0]))!["alg"]!.GetValue<string>());
    }

    private static string Base64UrlDecode(string part) =>
        System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(part.Replace('-', '+').Replace('_', '/').PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=')));
}
