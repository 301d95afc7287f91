using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Pipeline.Core.Mail;
using Pipeline.Local.Mail;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Mail;

public sealed class OutboxMailerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 14, 12, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _outbox = new();

    public void Dispose() => _outbox.Dispose();

    private OutboxMailer CreateSut() => new(_outbox.Path, new MimeEmailComposer(new FakeTimeProvider(Now)));

    [Fact]
    public async Task Send_writes_an_eml_that_parses_back_with_both_bodies_and_the_inline_image()
    {
        var email = TestEmails.Claim();

        await CreateSut().SendAsync(email, CancellationToken.None);

        var path = Path.Combine(_outbox.Path, "claim-cred-1@badges.example.edu.eml");
        using var parsed = await MimeMessage.LoadAsync(path);
        MimeAssertions.MatchesEmail(parsed, email);
        Assert.Equal(Now, parsed.Date);
    }

    [Fact]
    public async Task Sending_the_same_message_again_replaces_the_file_and_leaves_nothing_else()
    {
        var sut = CreateSut();
        var email = TestEmails.Claim();

        await sut.SendAsync(email, CancellationToken.None);
        await sut.SendAsync(email with { Subject = "Resent" }, CancellationToken.None);

        var file = Assert.Single(Directory.GetFiles(_outbox.Path));
        using var parsed = await MimeMessage.LoadAsync(file);
        Assert.Equal("Resent", parsed.Subject);
    }

    [Theory]
    [InlineData("claim-cred-1@badges.example.edu", "claim-cred-1@badges.example.edu.eml")]
    [InlineData("../../etc/x@y", "_.._etc_x@y.eml")]
    [InlineData("a b/c:d@e", "a_b_c_d@e.eml")]
    public void FileNameOf_keeps_safe_characters_and_replaces_the_rest(string messageId, string expected)
    {
        Assert.Equal(expected, OutboxMailer.FileNameOf(messageId));
    }
}
