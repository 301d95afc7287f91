using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Pipeline.Core.Baking;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Baking;

public sealed class PngBakeryTests
{
    private static byte[] Unbaked() => BakingFixtures.Read("ob2", "bakery", "unbaked.png");

    private static List<string> TextKeywords(byte[] png) =>
        PngChunks.Read(png, UnbakingLimits.Default).Value!
            .Where(c => c.IsText)
            .Select(c => Encoding.Latin1.GetString(png, c.DataOffset, Array.IndexOf(png, (byte)0, c.DataOffset) - c.DataOffset))
            .ToList();

    [Fact]
    public void Bake_jwt_inserts_one_uncompressed_itxt_just_before_IEND()
    {
        var baked = PngBakery.Bake(Unbaked(), BakedCredential.Ob3Jwt(BakingFixtures.SampleJwt)).Value!;

        var chunks = PngChunks.Read(baked, UnbakingLimits.Default).Value!;
        Assert.Equal(["IHDR", "tEXt", "IDAT", "iTXt", "IEND"], chunks.Select(c => c.Type));
        var itxt = chunks[3];
        var expected = Encoding.ASCII.GetBytes("openbadgecredential\0\0\0\0\0" + BakingFixtures.SampleJwt);
        Assert.Equal(expected, baked.AsSpan(itxt.DataOffset, itxt.DataLength).ToArray());
    }

    [Fact]
    public void Rebake_replaces_the_credential_leaving_exactly_one_chunk()
    {
        var once = PngBakery.Bake(Unbaked(), BakedCredential.Ob3Json(BakingFixtures.SampleJson)).Value!;

        var twice = PngBakery.Bake(once, BakedCredential.Ob3Jwt(BakingFixtures.SampleJwt)).Value!;

        Assert.Single(TextKeywords(twice), k => k == PngBakery.Ob3Keyword);
        Assert.Equal(BakedCredential.Ob3Jwt(BakingFixtures.SampleJwt), PngBakery.Unbake(twice).Value);
        Assert.Equal(PngBakery.Bake(Unbaked(), BakedCredential.Ob3Jwt(BakingFixtures.SampleJwt)).Value, twice);
    }

    [Fact]
    public void Bake_ob3_keeps_an_ob2_assertion_unless_asked_to_drop_it()
    {
        var ob2 = BakingFixtures.Read("ob2", "validator", "baked-assertion.png");

        var kept = PngBakery.Bake(ob2, BakedCredential.Ob3Jwt(BakingFixtures.SampleJwt)).Value!;
        var dropped = PngBakery.Bake(ob2, BakedCredential.Ob3Jwt(BakingFixtures.SampleJwt), keepOtherVersion: false).Value!;

        Assert.Equal([PngBakery.Ob2Keyword, PngBakery.Ob3Keyword], TextKeywords(kept));
        Assert.Equal([PngBakery.Ob3Keyword], TextKeywords(dropped));
        Assert.Equal(BakedCredentialFormat.Ob3Jwt, PngBakery.Unbake(kept).Value!.Format);
    }

    [Fact]
    public void Bake_ob2_url_is_read_back_as_ob2_url()
    {
        var url = BakedCredential.Ob2Url(new Uri("https://badges.example.edu/ob2/assertions/abc"));

        var baked = PngBakery.Bake(Unbaked(), url).Value!;

        Assert.Equal(url, PngBakery.Unbake(baked).Value);
        Assert.Equal(["Software", PngBakery.Ob2Keyword], TextKeywords(baked));
    }

    [Fact]
    public void Bake_malformed_payload_is_a_caller_fault()
    {
        Assert.Throws<ArgumentException>(() => PngBakery.Bake(Unbaked(), BakedCredential.Ob3Jwt("not a jws")));
        Assert.Throws<ArgumentException>(() => PngBakery.Bake(Unbaked(), BakedCredential.Ob3Json("{broken")));
    }

    [Fact]
    public void Bake_into_a_non_png_is_an_error_value()
    {
        var result = PngBakery.Bake(Encoding.ASCII.GetBytes("GIF89a..."), BakedCredential.Ob3Jwt(BakingFixtures.SampleJwt));

        Assert.Equal(BakingErrorCode.NotPng, result.Error?.Code);
    }

    [Property(MaxTest = 200)]
    public bool Bake_then_unbake_is_the_identity_for_any_text(NonEmptyString text)
    {
        var value = text.Get;
        if (!IsWellFormedUtf16(value))
        {
            return true;
        }
        var credential = BakedCredential.Ob3Json(BakingFixtures.JsonCarrying(value));

        var baked = PngBakery.Bake(Unbaked(), credential).Value!;

        return PngBakery.Unbake(baked).Value == credential;
    }

    [Fact]
    public void Unbake_reads_a_compressed_itxt_within_the_cap()
    {
        var png = PngBuilder.Minimal().Itxt(PngBakery.Ob3Keyword, PngBuilder.ZlibOf(Encoding.UTF8.GetBytes(BakingFixtures.SampleJson)), compressed: true).End().ToArray();

        Assert.Equal(BakedCredential.Ob3Json(BakingFixtures.SampleJson), PngBakery.Unbake(png).Value);
    }

    [Fact]
    public void Unbake_compression_bomb_stops_at_the_cap()
    {
        var bomb = PngBuilder.ZlibOf(new byte[20 * 1024 * 1024]);
        var png = PngBuilder.Minimal().Itxt(PngBakery.Ob3Keyword, bomb, compressed: true).End().ToArray();

        AssertError(png, BakingErrorCode.CompressedTextTooLarge, "iTXt");
    }

    [Fact]
    public void Unbake_corrupt_compressed_text_is_reported() =>
        AssertError(PngBuilder.Minimal().Itxt(PngBakery.Ob3Keyword, [1, 2, 3, 4], compressed: true).End().ToArray(), BakingErrorCode.InvalidCompressedData, "chunk 3");

    [Fact]
    public void Unbake_unknown_compression_method_is_unsupported() =>
        AssertError(
            PngBuilder.Minimal().Chunk("iTXt", [.. Encoding.ASCII.GetBytes(PngBakery.Ob3Keyword), 0, 1, 7, 0, 0, 1, 2]).End().ToArray(),
            BakingErrorCode.UnsupportedCompression,
            "method 7");

    [Fact]
    public void Unbake_truncated_file_is_reported()
    {
        var png = Unbaked();

        AssertError(png[..^20], BakingErrorCode.Truncated, "IDAT");
    }

    [Fact]
    public void Unbake_crc_mismatch_names_the_chunk()
    {
        var png = Unbaked();
        png[100] ^= 0xFF;

        AssertError(png, BakingErrorCode.CrcMismatch, "chunk 3 (IDAT)");
    }

    [Theory]
    [InlineData("iTXt", 0x7FFFFFF0u)]
    [InlineData("IDAT", 0xFFFFFFFFu)]
    public void Unbake_huge_declared_length_is_refused_before_reading(string type, uint length) =>
        AssertError(PngBuilder.Minimal().Header(type, length).ToArray(), BakingErrorCode.ChunkTooLarge, $"chunk 3 ({type})");

    [Fact]
    public void Unbake_too_many_chunks_is_refused()
    {
        var builder = PngBuilder.Minimal();
        for (var i = 0; i < 5000; i++)
        {
            builder.Itxt("comment", "x"u8);
        }

        AssertError(builder.End().ToArray(), BakingErrorCode.TooManyChunks, "4096");
    }

    [Fact]
    public void Unbake_reads_the_first_of_several_credential_chunks()
    {
        var png = PngBuilder.Minimal()
            .Itxt(PngBakery.Ob3Keyword, Encoding.UTF8.GetBytes(BakingFixtures.SampleJwt))
            .Itxt(PngBakery.Ob3Keyword, Encoding.UTF8.GetBytes(BakingFixtures.SampleJson))
            .End().ToArray();

        Assert.Equal(BakedCredentialFormat.Ob3Jwt, PngBakery.Unbake(png).Value!.Format);
    }

    [Fact]
    public void Unbake_not_a_png_is_reported() => AssertError("hello"u8.ToArray(), BakingErrorCode.NotPng, "signature");

    [Fact]
    public void Unbake_missing_IHDR_is_an_order_error() =>
        AssertError(new PngBuilder().Chunk("IDAT", [1]).End().ToArray(), BakingErrorCode.ChunkOrder, "IHDR");

    [Fact]
    public void Unbake_bytes_after_IEND_are_an_order_error() =>
        AssertError([.. PngBuilder.Minimal().End().ToArray(), 1, 2, 3], BakingErrorCode.ChunkOrder, "3 bytes follow");

    [Fact]
    public void Unbake_invalid_utf8_is_reported() =>
        AssertError(PngBuilder.Minimal().Itxt(PngBakery.Ob3Keyword, [0x7B, 0xC3, 0x28, 0x7D]).End().ToArray(), BakingErrorCode.InvalidUtf8, "UTF-8");

    [Fact]
    public void Unbake_unrecognised_text_is_reported() =>
        AssertError(PngBuilder.Minimal().Itxt(PngBakery.Ob3Keyword, "hello world"u8).End().ToArray(), BakingErrorCode.UnrecognizedPayload, "hello world");

    [Fact]
    public void Unbake_empty_credential_is_reported() =>
        AssertError(PngBuilder.Minimal().Itxt(PngBakery.Ob3Keyword, "  "u8).End().ToArray(), BakingErrorCode.EmptyCredential, "empty");

    [Fact]
    public void Unbake_legacy_ob2_text_chunk_with_url_is_read() =>
        Assert.Equal(
            new BakedCredential(BakedCredentialFormat.Ob2Url, "https://example.org/assertion/1"),
            PngBakery.Unbake(PngBuilder.Minimal().Text(PngBakery.Ob2Keyword, "https://example.org/assertion/1").End().ToArray()).Value);

    [Fact]
    public void Unbake_image_larger_than_the_limit_is_refused() =>
        AssertError(Unbaked(), BakingErrorCode.ImageTooLarge, "limit", new UnbakingLimits { MaxImageBytes = 1000 });

    private static void AssertError(byte[] png, BakingErrorCode code, string messagePart, UnbakingLimits? limits = null)
    {
        var result = PngBakery.Unbake(png, limits);

        Assert.False(result.Succeeded, result.ToString());
        Assert.Equal(code, result.Error.Code);
        Assert.Contains(messagePart, result.Error.Message, StringComparison.Ordinal);
    }

    internal static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }
        return true;
    }
}
