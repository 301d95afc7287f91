using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Core.Contracts;
using Pipeline.Core.Credentials;
using Pipeline.Core.Json;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Golden;

/// <summary>
/// Pins the bytes other systems read: the OB 3.0 credential (JSON and VC-JWT, signed with the committed test key
/// TestData/Keys/test-rs256.jwk.json; RS256 is deterministic) and the OB 2.0 assertion, all from fixed inputs.
/// To accept an intended change: run <c>UPDATE_GOLDEN=1 dotnet test tests/Pipeline.Core.Tests</c>, then review the diff.
/// </summary>
public sealed class GoldenFileTests
{
    private static OpenBadgeCredentialRequest Request() => CredentialTestData.Request(CredentialTestData.Certificate());

    [Fact]
    public void Ob3_credential_json_matches_the_golden_file() =>
        AssertGolden("ob3-credential.json", OpenBadgeCredentialBuilder.Build(Request()).ToJsonString(DocumentJson.Indented) + "\n");

    [Fact]
    public async Task Ob3_credential_jwt_matches_the_golden_file()
    {
        using var signer = CredentialTestData.Signer();
        var jwt = await new VcJwt(signer).SignCredentialAsync(OpenBadgeCredentialBuilder.Build(Request()), CredentialTestData.Issuer(), CancellationToken.None);
        AssertGolden("ob3-credential.jwt", jwt + "\n");
    }

    [Fact]
    public void Ob2_assertion_matches_the_golden_file()
    {
        var request = Request();
        var assertion = OpenBadges2Documents.Assertion(request, request.Issuer.Urls.Ob2AssertionImage(request.Id.Value));
        AssertGolden("ob2-assertion.json", assertion.ToJsonString(DocumentJson.Indented) + "\n");
    }

    internal static void AssertGolden(string name, string actual)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Pipeline.Core.Tests", "Golden", name);
        var bytes = Encoding.UTF8.GetBytes(actual);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(path, bytes);
        }
        Assert.True(File.Exists(path), $"{path} is missing; run with UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(Encoding.UTF8.GetString(File.ReadAllBytes(path)), actual);
        Assert.Equal(File.ReadAllBytes(path), bytes);
    }
}
