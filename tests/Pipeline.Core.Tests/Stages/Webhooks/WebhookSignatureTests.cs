using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Stages.Webhooks;

namespace Pipeline.Core.Tests.Stages.Webhooks;

public sealed class WebhookSignatureTests
{
    private static readonly DateTimeOffset SignedAt = new(2026, 12, 18, 17, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = """{"version":1,"completions":[]}"""u8.ToArray();
    private static readonly PartnerSecret Old = new("whsec_old-secret", SignedAt.AddDays(-90));
    private static readonly PartnerSecret New = new("whsec_new-secret", SignedAt.AddDays(-1));

    private static string Timestamp => SignedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void Compute_is_HMAC_SHA256_of_timestamp_dot_body_in_lower_case_hex()
    {
        byte[] signed = [.. Encoding.ASCII.GetBytes(Timestamp + "."), .. Body];
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Old.Value), signed));

        Assert.Equal("sha256=" + expected, WebhookSignature.Compute(Old.Value, Timestamp, Body));
    }

    [Fact]
    public void Compute_matches_the_openssl_known_answer()
    {
        // printf '1766077200.{}' | openssl dgst -sha256 -hmac 'key' -r  (OpenSSL 3, run once)
        Assert.Equal("sha256=c6b38452e296074d06f4b2bedf16ff7d534fd9481db9b3e4f391a0c31d794392",
            WebhookSignature.Compute("key", "1766077200", "{}"u8));
    }

    [Fact]
    public void Check_accepts_either_active_secret()
    {
        Assert.Equal(SignatureCheck.Valid, WebhookSignature.Check(Timestamp, WebhookSignature.Compute(Old.Value, Timestamp, Body), Body, [New, Old], SignedAt));
        Assert.Equal(SignatureCheck.Valid, WebhookSignature.Check(Timestamp, WebhookSignature.Compute(New.Value, Timestamp, Body), Body, [New, Old], SignedAt));
    }

    [Fact]
    public void Check_refuses_a_retired_secret_a_changed_body_and_an_unknown_partner()
    {
        var signature = WebhookSignature.Compute(Old.Value, Timestamp, Body);

        Assert.Equal(SignatureCheck.BadSignature, WebhookSignature.Check(Timestamp, signature, Body, [New], SignedAt));
        Assert.Equal(SignatureCheck.BadSignature, WebhookSignature.Check(Timestamp, signature, [.. Body, (byte)' '], [Old], SignedAt));
        Assert.Equal(SignatureCheck.BadSignature, WebhookSignature.Check(Timestamp, signature, Body, [], SignedAt));
    }

    [Fact]
    public void Check_accepts_five_minutes_either_way_and_refuses_one_second_more()
    {
        var time = new FakeTimeProvider(SignedAt);
        var signature = WebhookSignature.Compute(Old.Value, Timestamp, Body);

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(SignatureCheck.Valid, WebhookSignature.Check(Timestamp, signature, Body, [Old], time.GetUtcNow()));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(SignatureCheck.StaleTimestamp, WebhookSignature.Check(Timestamp, signature, Body, [Old], time.GetUtcNow()));

        var early = new FakeTimeProvider(SignedAt.AddMinutes(-5).AddSeconds(-1));
        Assert.Equal(SignatureCheck.StaleTimestamp, WebhookSignature.Check(Timestamp, signature, Body, [Old], early.GetUtcNow()));
        early.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(SignatureCheck.Valid, WebhookSignature.Check(Timestamp, signature, Body, [Old], early.GetUtcNow()));
    }

    [Theory]
    [InlineData(null, "sha256=00", SignatureCheck.MissingTimestamp)]
    [InlineData("1766077200", null, SignatureCheck.MissingSignature)]
    [InlineData("1766077200.5", "sha256=00", SignatureCheck.MalformedTimestamp)]
    [InlineData("-1766077200", "sha256=00", SignatureCheck.MalformedTimestamp)]
    [InlineData("9999999999999", "sha256=00", SignatureCheck.MalformedTimestamp)]
    [InlineData("1766077200", "sha256=00", SignatureCheck.MalformedSignature)]
    [InlineData("1766077200", "v1=0000000000000000000000000000000000000000000000000000000000000000", SignatureCheck.MalformedSignature)]
    [InlineData("1766077200", "sha256=zz00000000000000000000000000000000000000000000000000000000000000", SignatureCheck.MalformedSignature)]
    [InlineData("999999999999", "sha256=0000000000000000000000000000000000000000000000000000000000000000", SignatureCheck.StaleTimestamp)]
    public void Check_names_what_is_wrong_with_the_headers(string? timestamp, string? signature, SignatureCheck expected) =>
        Assert.Equal(expected, WebhookSignature.Check(timestamp, signature, Body, [Old], SignedAt));

    [Fact]
    public void A_secret_never_prints() => Assert.DoesNotContain(Old.Value, Old.ToString(), StringComparison.Ordinal);
}
