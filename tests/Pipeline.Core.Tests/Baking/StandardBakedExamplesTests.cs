using System.Text;
using System.Text.Json;
using Pipeline.Core.Baking;

namespace Pipeline.Core.Tests.Baking;

/// <summary>Every baked example in the shared standards unbakes to what its source says it holds; the bad ones fail specifically.</summary>
public sealed class StandardBakedExamplesTests
{
    [Theory]
    [InlineData("simple-jwt.png", BakedCredentialFormat.Ob3Jwt)]
    [InlineData("simple-jwt.svg", BakedCredentialFormat.Ob3Jwt)]
    [InlineData("simple-jwt_v1.png", BakedCredentialFormat.Ob3Jwt)]
    [InlineData("simple-jwt_v1.svg", BakedCredentialFormat.Ob3Jwt)]
    [InlineData("simple-json.png", BakedCredentialFormat.Ob3Json)]
    [InlineData("simple-json.svg", BakedCredentialFormat.Ob3Json)]
    public void Unbake_ob3_example_yields_its_credential(string file, BakedCredentialFormat format)
    {
        var result = Bakery.Unbake(BakingFixtures.Read("ob3", "examples", "baked", file));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(format, result.Value.Format);
        var credential = format == BakedCredentialFormat.Ob3Json
            ? JsonDocument.Parse(result.Value.Payload).RootElement
            : JwtPayload(result.Value.Payload);
        var json = credential.TryGetProperty("vc", out var legacy) ? legacy : credential;
        Assert.Contains("OpenBadgeCredential", json.GetProperty("type").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public void Unbake_simple_jwt_svg_yields_exactly_the_extracted_vc2_jwt()
    {
        var expected = BakingFixtures.ReadText("ob3", "examples", "jwt", "simple-vc2.jwt").Trim();

        var result = SvgBakery.Unbake(BakingFixtures.Read("ob3", "examples", "baked", "simple-jwt.svg"));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(expected, result.Value.Payload);
    }

    [Fact]
    public void Unbake_simple_json_png_and_svg_carry_the_same_credential()
    {
        var png = PngBakery.Unbake(BakingFixtures.Read("ob3", "examples", "baked", "simple-json.png"));
        var svg = SvgBakery.Unbake(BakingFixtures.Read("ob3", "examples", "baked", "simple-json.svg"));

        Assert.Equal(
            JsonDocument.Parse(svg.Value!.Payload).RootElement.GetProperty("id").GetString(),
            JsonDocument.Parse(png.Value!.Payload).RootElement.GetProperty("id").GetString());
        Assert.Equal("http://example.com/credentials/3527", JsonDocument.Parse(png.Value.Payload).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public void Unbake_ob2_validator_png_yields_the_hosted_assertion_json()
    {
        var result = PngBakery.Unbake(BakingFixtures.Read("ob2", "validator", "baked-assertion.png"));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(BakedCredentialFormat.Ob2Json, result.Value.Format);
        var assertion = JsonDocument.Parse(result.Value.Payload).RootElement;
        Assert.Equal("Assertion", assertion.GetProperty("type").GetString());
        Assert.Equal("https://w3id.org/openbadges/v2", assertion.GetProperty("@context").GetString());
    }

    [Fact]
    public void Unbake_ob2_bakery_svg_yields_the_json_body()
    {
        var result = SvgBakery.Unbake(BakingFixtures.Read("ob2", "bakery", "baked.svg"));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(BakedCredentialFormat.Ob2Json, result.Value.Format);
        Assert.Equal("""{"verify":{"url":"http://example.org"}}""", result.Value.Payload);
    }

    [Fact]
    public void Unbake_ob2_svg_with_empty_body_yields_the_verify_url_as_the_bakery_does()
    {
        // mozilla/openbadges-bakery test/svg.test.js extracts "http://example.org" from no-json.svg.
        var result = SvgBakery.Unbake(BakingFixtures.Read("ob2", "bakery", "no-json.svg"));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(new BakedCredential(BakedCredentialFormat.Ob2Url, "http://example.org"), result.Value);
    }

    [Theory]
    [InlineData("bad-json.svg", BakingErrorCode.InvalidJson)]
    [InlineData("unbaked.svg", BakingErrorCode.NoCredential)]
    [InlineData("unbaked.png", BakingErrorCode.NoCredential)]
    public void Unbake_bad_bakery_example_fails_with_a_specific_error(string file, BakingErrorCode code)
    {
        var result = Bakery.Unbake(BakingFixtures.Read("ob2", "bakery", file));

        Assert.False(result.Succeeded);
        Assert.Equal(code, result.Error.Code);
    }

    private static JsonElement JwtPayload(string jws)
    {
        var payload = jws.Split('.')[1];
        return JsonDocument.Parse(Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(payload))).RootElement;
    }
}
