using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Pipeline.Core.Mail;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Mail;

/// <summary>
/// Delivers mail to a folder: <c>{outbox}/{message id}.eml</c>, where characters other than letters, digits,
/// '.', '-', '_' and '@' in the id become '_'. The file is written to a temporary name in the same folder (starting
/// with '.', ending in <c>.tmp</c>) and renamed over the target, so a resend replaces it whole. The message is
/// formatted in memory and written with one synchronous call (an email is tens of kilobytes; an async file write on
/// Linux is a thread-pool hop per call for no overlap); the folder is created up front and again only when a write
/// fails for the lack of it.
/// </summary>
internal sealed class OutboxMailer : IMailer
{
    private readonly string _outbox;
    private readonly string _tempPrefix;
    private readonly MimeEmailComposer _composer;
    private long _tempCounter;

    public OutboxMailer(string outbox, MimeEmailComposer composer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outbox);
        _outbox = Path.GetFullPath(outbox);
        _tempPrefix = Path.Combine(_outbox, "." + RandomNumberGenerator.GetHexString(32, lowercase: true) + "-");
        _composer = composer;
        Directory.CreateDirectory(_outbox);
    }

    public static string FileNameOf(string messageId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        var safe = string.Concat(messageId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' ? c : '_'));
        return safe.TrimStart('.') + ".eml";
    }

    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        using var formatted = new MemoryStream(EstimatedSize(message));
        using (var mime = _composer.Compose(message))
        {
            mime.WriteTo(formatted, cancellationToken);
        }
        var path = Path.Combine(_outbox, FileNameOf(message.MessageId));
        var temp = string.Concat(_tempPrefix, Interlocked.Increment(ref _tempCounter).ToString("x", CultureInfo.InvariantCulture), ".tmp");
        try
        {
            using (var handle = CreateTemp(temp))
            {
                RandomAccess.Write(handle, formatted.GetBuffer().AsSpan(0, (int)formatted.Length), 0);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return Task.CompletedTask;
    }

    /// <summary>The bodies, the base64 of the images (4/3, plus line breaks) and room for the headers.</summary>
    private static int EstimatedSize(EmailMessage message) =>
        4096 + message.TextBody.Length + message.HtmlBody.Length + message.InlineImages.Sum(i => i.Content.Length / 3 * 4 * 78 / 76 + 512);

    private SafeFileHandle CreateTemp(string temp)
    {
        try
        {
            return File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(_outbox);
            return File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
    }
}
