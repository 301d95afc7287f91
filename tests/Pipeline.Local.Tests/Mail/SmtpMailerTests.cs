using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Pipeline.Core.Mail;

namespace Pipeline.Local.Tests.Mail;

public sealed class SmtpMailerTests
{
    [Fact]
    public async Task Send_delivers_the_composed_message_to_the_smtp_server()
    {
        await using var server = new TestSmtpServer();
        var options = new SmtpOptions { Host = "127.0.0.1", Port = server.Port, Security = SmtpSecurity.None };
        var sut = new SmtpMailer(Options.Create(options), new MimeEmailComposer(new FakeTimeProvider()));
        var email = TestEmails.Claim();

        await sut.SendAsync(email, CancellationToken.None);

        var received = await server.Received.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("badges@example.edu", received.From);
        Assert.Equal(["ada@example.edu"], received.Recipients);
        Assert.Contains("Message-Id: <claim-cred-1@badges.example.edu>", received.Data, StringComparison.OrdinalIgnoreCase);
        using var parsed = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(received.Data)));
        MimeAssertions.MatchesEmail(parsed, email);
    }

    [Fact]
    public void Options_with_a_user_name_but_no_password_fail_validation_naming_both()
    {
        var options = new SmtpOptions { Host = "smtp.example.edu", UserName = "badges" };

        var results = new List<ValidationResult>();
        var valid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains("Smtp:UserName and Smtp:Password", Assert.Single(results).ErrorMessage, StringComparison.Ordinal);
    }
}
