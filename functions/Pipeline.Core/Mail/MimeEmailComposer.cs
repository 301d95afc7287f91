using System.Runtime.InteropServices;
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
            builder.LinkedResources.Add(InlinePart(image));
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

    /// <summary>
    /// The image as a base64 part over its bytes as they are (no copy, no scan for the best encoding: an image is
    /// binary), with the headers <see cref="BodyBuilder"/> would give a linked resource.
    /// </summary>
    private static MimePart InlinePart(InlineImage image)
    {
        var bytes = MemoryMarshal.TryGetArray(image.Content, out var segment) && segment.Array is { } array
            ? new MemoryStream(array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(image.Content.ToArray(), writable: false);
        var part = new MimePart(ContentType.Parse(image.ContentType))
        {
            Content = new MimeContent(bytes),
            ContentTransferEncoding = ContentEncoding.Base64,
            ContentDisposition = new ContentDisposition(ContentDisposition.Inline) { FileName = image.FileName },
            ContentLocation = new Uri(image.FileName, UriKind.Relative),
            ContentId = image.ContentId,
        };
        part.ContentType.Name = image.FileName;
        return part;
    }

    private static MailboxAddress ToMailbox(EmailAddress address) => new(address.DisplayName ?? string.Empty, address.Address);
}
