using MimeKit;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Tests.Mail;

internal static class MimeAssertions
{
    /// <summary>The parsed message has the email's headers, both bodies, and the inline image related to the HTML by Content-Id.</summary>
    public static void MatchesEmail(MimeMessage parsed, EmailMessage email)
    {
        Assert.Equal(email.MessageId, parsed.MessageId);
        Assert.Equal(email.Subject, parsed.Subject);
        Assert.Equal(email.To.Address, Assert.IsType<MailboxAddress>(Assert.Single(parsed.To)).Address);
        Assert.Equal(email.From.Address, Assert.IsType<MailboxAddress>(Assert.Single(parsed.From)).Address);
        Assert.Equal(email.TextBody, parsed.TextBody?.TrimEnd());
        Assert.Equal(email.HtmlBody, parsed.HtmlBody?.TrimEnd());

        var alternative = Assert.IsType<MultipartAlternative>(parsed.Body);
        var related = Assert.IsType<MultipartRelated>(alternative[1]);
        var image = Assert.IsType<MimePart>(related[1]);
        Assert.Equal(email.InlineImages[0].ContentId, image.ContentId);
        Assert.Equal("image/png", image.ContentType.MimeType);
        using var decoded = new MemoryStream();
        Assert.NotNull(image.Content);
        image.Content.DecodeTo(decoded);
        Assert.Equal(email.InlineImages[0].Content.ToArray(), decoded.ToArray());
    }
}
