using System.Runtime.InteropServices;
using System.Text;
using MimeKit;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Mail;

/// <summary>
/// Turns an <see cref="EmailMessage"/> into MIME, the one shape both mailers send: <c>multipart/alternative</c>
/// of the plain text and a <c>multipart/related</c> holding the HTML and its inline images, each with the
/// <c>Content-Id</c> the HTML refers to as <c>cid:</c>. The <c>Message-Id</c> header is the message's id and the
/// <c>Date</c> comes from the injected clock; <c>From</c>, <c>To</c> and <c>Subject</c> are one line each, display
/// names RFC 2047-encoded (<see cref="MailHeaders"/>).
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
            Subject = MailHeaders.OneLine(email.Subject) ?? string.Empty,
            Date = timeProvider.GetUtcNow(),
            Body = builder.ToMessageBody(),
        };
        message.Headers.Add(MailboxHeader(HeaderId.From, email.From));
        message.Headers.Add(MailboxHeader(HeaderId.To, email.To));
        return message;
    }

    /// <summary>
    /// The header written as <see cref="MailHeaders.Mailbox"/> words it (the display name RFC 2047-encoded unless it
    /// is plain words), not as MimeKit would choose to quote it; MimeKit parses it back for <see cref="MimeMessage.To"/>.
    /// </summary>
    private static Header MailboxHeader(HeaderId id, EmailAddress address)
    {
        var header = new Header(id, address.Address);
        header.SetRawValue(Encoding.UTF8.GetBytes(" " + MailHeaders.Mailbox(address) + "\r\n"));
        return header;
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
}
