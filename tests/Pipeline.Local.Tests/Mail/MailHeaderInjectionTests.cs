using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Pipeline.Core.Mail;
using Pipeline.Core.Storage;
using Pipeline.Local.Mail;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Mail;

/// <summary>
/// Hostile display names, as a ledger written before the edge refused them may hold (issue 21: a CR/LF in a name made
/// the claim email's <c>To:</c> header unparseable): in the outbox <c>.eml</c> and over SMTP, every header stays one
/// header, the name is RFC 2047-encoded, and the message parses back to the same recipient.
/// </summary>
public sealed partial class MailHeaderInjectionTests : IDisposable
{
    private readonly TempFolder _outbox = new();

    public void Dispose() => _outbox.Dispose();

    public static TheoryData<string, string> HostileNames => new()
    {
        { "Ada\r\nBcc: everyone@example.edu", "Ada Bcc: everyone@example.edu" },
        { "Ada\nLovelace", "Ada Lovelace" },
        { "Ada\rLovelace", "Ada Lovelace" },
        { "Ada\0Lovelace", "Ada Lovelace" },
        { "\u202Eecalevol adA", "ecalevol adA" },
        { "Lovelace, Ada <evil@example.edu>", "Lovelace, Ada <evil@example.edu>" },
        { "Ada \"Countess\" Lovelace", "Ada \"Countess\" Lovelace" },
        { "=?utf-8?Q?Ev=69l?=", "=?utf-8?Q?Ev=69l?=" },
        { "Zoë Ŋgũgĩ 李", "Zoë Ŋgũgĩ 李" },
        { "Mary-Jane O'Brien", "Mary-Jane O'Brien" },
        { new string('ë', 200), new string('ë', 200) },
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task The_outbox_eml_has_one_To_header_with_the_name_encoded_and_parses_back_to_the_learner(string name, string shown)
    {
        var email = TestEmails.Claim() with { To = new EmailAddress("ada@example.edu", name), Subject = "Your badge\r\nBcc: everyone@example.edu" };

        await new OutboxMailer(_outbox.Path, new MimeEmailComposer(new FakeTimeProvider())).SendAsync(email, CancellationToken.None);

        var bytes = await File.ReadAllBytesAsync(Directory.GetFiles(_outbox.Path).Single());
        AssertHeadersSafe(Encoding.UTF8.GetString(bytes), shown);
        using var parsed = await MimeMessage.LoadAsync(new MemoryStream(bytes));
        var to = Assert.Single(parsed.To.Mailboxes);
        Assert.Equal(("ada@example.edu", shown), (to.Address, to.Name));
        Assert.Empty(parsed.Bcc);
        Assert.Equal("Your badge Bcc: everyone@example.edu", parsed.Subject);
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task Over_SMTP_the_message_goes_to_the_learner_alone_with_its_headers_intact(string name, string shown)
    {
        await using var server = new TestSmtpServer();
        var options = new SmtpOptions { Host = "127.0.0.1", Port = server.Port, Security = SmtpSecurity.None };
        var sut = new SmtpMailer(Options.Create(options), new MimeEmailComposer(new FakeTimeProvider()));

        await sut.SendAsync(TestEmails.Claim() with { To = new EmailAddress("ada@example.edu", name) }, CancellationToken.None);

        var received = await server.Received.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["ada@example.edu"], received.Recipients);
        AssertHeadersSafe(received.Data, shown);
    }

    [Fact]
    public void A_plain_name_stays_readable_and_an_address_no_header_can_carry_is_refused()
    {
        Assert.Equal("Ada Lovelace\r\n <ada@example.edu>", MailHeaders.Mailbox(new EmailAddress("ada@example.edu", "Ada  Lovelace ")));
        Assert.Equal("ada@example.edu", MailHeaders.Mailbox(new EmailAddress("ada@example.edu", "\r\n")));
        Assert.Throws<FormatException>(() => MailHeaders.Mailbox(new EmailAddress("ada@example.edu\r\nBcc: x@example.edu", null)));
    }

    /// <summary>
    /// The header block: every line a "Name: value" of the headers a claim email has, or a folded continuation; the
    /// <c>To</c> header plain ASCII, its name in encoded-words unless it is plain atoms, and what it decodes to.
    /// </summary>
    private static void AssertHeadersSafe(string message, string shown)
    {
        var newLine = message.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var block = message[..message.IndexOf(newLine + newLine, StringComparison.Ordinal)];
        Assert.Equal(block.Count(c => c == '\n'), newLine == "\n" ? block.Split('\n').Length - 1 : block.Split("\r\n").Length - 1);
        Assert.DoesNotContain(newLine == "\n" ? "\r" : "\n\n", block, StringComparison.Ordinal);
        var headers = block.Split(newLine);
        string[] expected = ["From", "Date", "Subject", "Message-Id", "MIME-Version", "Content-Type", "To", "Received", "Return-Path"];
        Assert.All(headers, line => Assert.True(
            line.StartsWith(' ') || line.StartsWith('\t') || expected.Any(h => line.StartsWith(h + ":", StringComparison.OrdinalIgnoreCase)),
            $"unexpected header line: {line}"));
        var to = string.Join(newLine, headers.SkipWhile(l => !l.StartsWith("To:", StringComparison.Ordinal)).Take(1)
            .Concat(headers.SkipWhile(l => !l.StartsWith("To:", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.StartsWith(' '))));
        Assert.All(to, c => Assert.InRange(c, '\u0009', '\u007E'));
        Assert.Matches(shown.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '\'' or '-') ? PlainTo() : EncodedTo(), to.Replace(newLine, "\n", StringComparison.Ordinal));
        Assert.Equal(shown, Assert.Single(MimeKit.InternetAddressList.Parse(to["To:".Length..]).Mailboxes).Name);
        Assert.DoesNotContain(headers, l => l.StartsWith("Bcc:", StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex(@"^To: [A-Za-z0-9 '-]+\n <ada@example\.edu>$")]
    private static partial Regex PlainTo();

    [GeneratedRegex(@"^To: =\?utf-8\?B\?[A-Za-z0-9+/=]+\?=(\n =\?utf-8\?B\?[A-Za-z0-9+/=]+\?=)*\n <ada@example\.edu>$")]
    private static partial Regex EncodedTo();
}
