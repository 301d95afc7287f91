using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Http.Verify;

public sealed class ClaimPageSharingTests
{
    [Fact]
    public async Task Claim_page_has_a_labelled_readonly_verification_link_and_a_labelled_QR_code()
    {
        await using var site = await PublicSite.StartAsync();
        var url = site.Issuer.Urls.Credential(PublicSite.CredentialId).AbsoluteUri;

        var html = await site.GetStringAsync("/claim/" + site.ClaimToken);

        Assert.Contains("<label for=\"verification-link\">", html, StringComparison.Ordinal);
        Assert.Contains($"<input id=\"verification-link\" class=\"copy\" type=\"text\" readonly value=\"{url}\">", html, StringComparison.Ordinal);
        Assert.Contains($"<svg class=\"qr\" role=\"img\" aria-label=\"QR code of the verification link {url}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }
}
