namespace Pipeline.Core.Storage;

/// <summary>
/// The mailer port: an outbox folder of <c>.eml</c> files or SMTP in the embedded host; ACS or SMTP in Azure.
/// <see cref="EmailMessage.MessageId"/> is derived from the credential id, so a resend after a crash is
/// recognisable (and an outbox file is simply replaced).
/// </summary>
public interface IMailer
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>An email with an HTML and a plain-text body and inline images referenced from the HTML by <c>cid:</c>.</summary>
public sealed record EmailMessage
{
    public required string MessageId { get; init; }
    public required EmailAddress From { get; init; }
    public required EmailAddress To { get; init; }
    public required string Subject { get; init; }
    public required string HtmlBody { get; init; }
    public required string TextBody { get; init; }
    public IReadOnlyList<InlineImage> InlineImages { get; init; } = [];
}

public sealed record EmailAddress(string Address, string? DisplayName);

public sealed record InlineImage(string ContentId, string FileName, string ContentType, ReadOnlyMemory<byte> Content);
