using System.Security.Cryptography;
using Pipeline.Core.Mail;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Mail;

/// <summary>
/// Delivers mail to a folder: <c>{outbox}/{message id}.eml</c>, where characters other than letters, digits,
/// '.', '-', '_' and '@' in the id become '_'. The file is written to a temporary name in the same folder (starting
/// with '.', ending in <c>.tmp</c>) and renamed over the target, so a resend replaces it whole.
/// </summary>
internal sealed class OutboxMailer : IMailer
{
    private readonly string _outbox;
    private readonly MimeEmailComposer _composer;

    public OutboxMailer(string outbox, MimeEmailComposer composer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outbox);
        _outbox = Path.GetFullPath(outbox);
        _composer = composer;
    }

    public static string FileNameOf(string messageId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        var safe = string.Concat(messageId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' ? c : '_'));
        return safe.TrimStart('.') + ".eml";
    }

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var mime = _composer.Compose(message);
        Directory.CreateDirectory(_outbox);
        var path = Path.Combine(_outbox, FileNameOf(message.MessageId));
        var temp = Path.Combine(_outbox, "." + RandomNumberGenerator.GetHexString(32, lowercase: true) + ".tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await mime.WriteToAsync(stream, cancellationToken);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
