using MimeKit;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Mail;

/// <summary>
/// Turns an <see cref="EmailMessage"/> into MIME, the one shape both mailers send: <c>multipart/alternative</c>
/// of the plain text and a <c>multipart/related</c> holding the HTML and its inline images, each with the
/// <c>Content-Id</c> the HTML refers to as <c>cid:</c>. The <c>Message-Id</c> header is the message's id and the
/// <c>Date</c> comes from the injected clock.
/// </summary>
public sealed class MimeEmailComposer(TimeProvider timeProvider)
{
    public MimeMessage Compose(EmailMessage email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var builder = new BodyBuilder { TextBody = email.TextBody, HtmlBody = email.HtmlBody };
        foreach (var image in email.InlineImages)
        {
            var resource = builder.LinkedResources.Add(image.FileName, image.Content.ToArray(), ContentType.Parse(image.ContentType));
            resource.ContentId = image.ContentId;
            resource.ContentDisposition = new ContentDisposition(ContentDisposition.Inline) { FileName = image.FileName };
        }
        var message = new MimeMessage
        {
            MessageId = email.MessageId,
            Subject = email.Subject,
            Date = timeProvider.GetUtcNow(),
            Body = builder.ToMessageBody(),
        };
        message.From.Add(ToMailbox(email.From));
        message.To.Add(ToMailbox(email.To));
        return message;
    }

    private static MailboxAddress ToMailbox(EmailAddress address) => new(address.DisplayName ?? string.Empty, address.Address);
}
