using System.Text;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Tests.Mail;

internal static class TestEmails
{
    /// <summary>The PNG signature and an IHDR chunk's start: enough bytes to recognise in a decoded part.</summary>
    public static readonly byte[] BadgePng = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];

    public static EmailMessage Claim(string messageId = "claim-cred-1@badges.example.edu") => new()
    {
        MessageId = messageId,
        From = new EmailAddress("badges@example.edu", "University Badges"),
        To = new EmailAddress("ada@example.edu", "Ada Lovelace"),
        Subject = "Your Robotics I badge",
        TextBody = "Claim your badge: https://badges.example.edu/claim/abc",
        HtmlBody = "<p>Claim your badge</p><img src=\"cid:badge@pipeline\" alt=\"Robotics I\">",
        InlineImages = [new InlineImage("badge@pipeline", "robotics-1.png", "image/png", BadgePng)],
    };

    public static string Ascii(byte[] bytes) => Encoding.ASCII.GetString(bytes);
}
