using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Azure.Email;
using Pipeline.Azure.Tests.TestData;
using Pipeline.Core.Storage;

namespace Pipeline.Azure.Tests.Email;

/// <summary>The Communication Services Email REST contract: emails:send, HMAC headers, 202 + Operation-Location polling, errors and throttling.</summary>
public sealed class AcsEmailMailerTests : IDisposable
{
    private const string Endpoint = "https://badges-acs.unitedstates.communication.azure.com/";
    private const string OperationUrl = "https://badges-acs.unitedstates.communication.azure.com/emails/operations/op-1?api-version=2025-09-01";
    private static readonly byte[] AccessKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly DateTimeOffset Now = new(2026, 12, 14, 14, 30, 0, TimeSpan.Zero);

    private readonly RecordingHandler _server = new();

    public void Dispose() => _server.Dispose();

    private AcsEmailMailer Mailer(TimeProvider? clock = null, TimeSpan? maxPacingWait = null) => AcsEmailMailer.FromConnectionString(
        $"endpoint={Endpoint};accesskey={Convert.ToBase64String(AccessKey)}",
        new AcsEmailMailerOptions
        {
            Transport = _server.Transport,
            Clock = clock ?? new FakeTimeProvider(Now),
            MaxPacingWait = maxPacingWait ?? TimeSpan.FromMinutes(1),
            PollInterval = TimeSpan.Zero,
            Retry = { Delay = TimeSpan.FromMilliseconds(1) },
        });

    private static EmailMessage Message() => new()
    {
        MessageId = "cred-1@badges.example.edu",
        From = new EmailAddress("badges@mail.example.edu", "UMaine Badges"),
        To = new EmailAddress("ada@example.edu", "Ada Lovelace"),
        Subject = "You earned Robotics I",
        HtmlBody = "<p>Congratulations</p><img src=\"cid:badge\">",
        TextBody = "Congratulations",
        InlineImages = [new InlineImage("badge", "badge.png", "image/png", new byte[] { 0x89, 0x50, 0x4E, 0x47 })],
    };

    private static string Status(string status, string? error = null) =>
        $$"""{"id":"op-1","status":"{{status}}","error":{{error ?? "null"}}}""";

    [Theory]
    [InlineData("Ada\r\nBcc: everyone@example.edu", "Ada Bcc: everyone@example.edu")]
    [InlineData("\u202EAda\u0000 Lovelace", "Ada Lovelace")]
    [InlineData("\r\n", null)]
    public void The_request_body_carries_display_names_and_the_subject_as_one_line(string name, string? sent)
    {
        var message = Message() with { To = new EmailAddress("ada@example.edu", name), Subject = "You earned\r\nBcc: x@example.edu" };

        var body = AcsEmailMailer.ToRequestBody(message);

        var to = body["recipients"]!["to"]![0]!.AsObject();
        Assert.Equal(sent, to.TryGetPropertyValue("displayName", out var displayName) ? (string?)displayName : null);
        Assert.Equal("You earned Bcc: x@example.edu", (string?)body["content"]!["subject"]);
    }

    [Fact]
    public async Task Send_posts_the_documented_body_to_emails_send_and_polls_the_operation_to_success()
    {
        _server.Respond(HttpStatusCode.Accepted, Status("Running"), ("Operation-Location", OperationUrl), ("Retry-After", "0"))
            .Respond(HttpStatusCode.OK, Status("Running"), ("Retry-After", "0"))
            .Respond(HttpStatusCode.OK, Status("Succeeded"));

        await Mailer().SendAsync(Message(), CancellationToken.None);

        Assert.Equal(3, _server.Requests.Count);
        var send = _server.Requests[0];
        Assert.Equal(("POST", "/emails:send", "?api-version=2025-09-01"), (send.Method, send.Uri.AbsolutePath, send.Uri.Query));
        Assert.All(_server.Requests.Skip(1), poll => Assert.Equal(("GET", OperationUrl), (poll.Method, poll.Uri.AbsoluteUri)));
        using var body = JsonDocument.Parse(send.Body!);
        var root = body.RootElement;
        Assert.Equal("badges@mail.example.edu", root.GetProperty("senderAddress").GetString());
        Assert.Equal("You earned Robotics I", root.GetProperty("content").GetProperty("subject").GetString());
        Assert.Equal("Congratulations", root.GetProperty("content").GetProperty("plainText").GetString());
        Assert.Equal(Message().HtmlBody, root.GetProperty("content").GetProperty("html").GetString());
        var to = Assert.Single(root.GetProperty("recipients").GetProperty("to").EnumerateArray().ToList());
        Assert.Equal(("ada@example.edu", "Ada Lovelace"), (to.GetProperty("address").GetString(), to.GetProperty("displayName").GetString()));
        var attachment = Assert.Single(root.GetProperty("attachments").EnumerateArray().ToList());
        Assert.Equal(
            ("badge.png", "image/png", "iVBORw==", "badge"),
            (attachment.GetProperty("name").GetString(), attachment.GetProperty("contentType").GetString(),
             attachment.GetProperty("contentInBase64").GetString(), attachment.GetProperty("contentId").GetString()));
    }

    [Fact]
    public async Task Send_signs_with_HMAC_SHA256_over_verb_path_date_host_and_content_hash()
    {
        _server.Respond(HttpStatusCode.Accepted, Status("Succeeded"), ("Operation-Location", OperationUrl));

        await Mailer().SendAsync(Message(), CancellationToken.None);

        var send = _server.Requests[0];
        var date = Now.ToString("r", CultureInfo.InvariantCulture);
        Assert.Equal("Mon, 14 Dec 2026 14:30:00 GMT", date);
        var contentHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(send.Body!)));
        var stringToSign = "POST\n/emails:send?api-version=2025-09-01\n" + date + ";badges-acs.unitedstates.communication.azure.com;" + contentHash;
        var signature = Convert.ToBase64String(HMACSHA256.HashData(AccessKey, Encoding.UTF8.GetBytes(stringToSign)));
        Assert.Equal(date, send.Headers["x-ms-date"]);
        Assert.Equal(contentHash, send.Headers["x-ms-content-sha256"]);
        Assert.Equal($"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}", send.Headers["Authorization"]);
    }

    [Fact]
    public async Task Send_derives_a_stable_Repeatability_Request_Id_from_the_message_id()
    {
        _server.Respond(HttpStatusCode.Accepted, Status("Succeeded"), ("Operation-Location", OperationUrl))
            .Respond(HttpStatusCode.Accepted, Status("Succeeded"), ("Operation-Location", OperationUrl));

        await Mailer().SendAsync(Message(), CancellationToken.None);
        await Mailer().SendAsync(Message(), CancellationToken.None);

        var ids = _server.Requests.Select(r => r.Headers["Repeatability-Request-Id"]).ToList();
        Assert.Equal(ids[0], ids[1]);
        Assert.True(Guid.TryParse(ids[0], out var id));
        Assert.Equal(8, id.Version);
        Assert.Equal("Mon, 14 Dec 2026 14:30:00 GMT", _server.Requests[0].Headers["Repeatability-First-Sent"]);
        Assert.NotEqual(AcsEmailMailer.RepeatabilityId("cred-2@badges.example.edu"), id);
    }

    [Fact]
    public async Task Throttled_send_429_is_waited_out_through_Retry_After_not_failed()
    {
        _server.Respond(HttpStatusCode.TooManyRequests, """{"error":{"code":"TooManyRequests","message":"Too many requests"}}""", ("Retry-After", "1"))
            .Respond(HttpStatusCode.Accepted, Status("Succeeded"), ("Operation-Location", OperationUrl));

        await Mailer().SendAsync(Message(), CancellationToken.None);

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(_server.Requests[0].Body, _server.Requests[1].Body);
    }

    [Fact]
    public async Task The_message_after_the_per_minute_quota_waits_until_the_minute_frees_and_none_fails()
    {
        var clock = new FakeTimeProvider(Now);
        var mailer = Mailer(clock);
        ScriptSucceededSends(31);
        for (var i = 0; i < 30; i++)
        {
            await mailer.SendAsync(Message(), CancellationToken.None);
        }

        var next = mailer.SendAsync(Message(), CancellationToken.None);
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(next.IsCompleted);
        Assert.Equal(30, _server.Requests.Count);
        clock.Advance(TimeSpan.FromSeconds(1));
        await next;

        Assert.Equal(31, _server.Requests.Count);
    }

    [Fact]
    public async Task The_message_after_the_per_hour_quota_waits_until_the_hour_frees_and_none_fails()
    {
        var clock = new FakeTimeProvider(Now);
        var mailer = Mailer(clock, maxPacingWait: TimeSpan.FromHours(1));
        ScriptSucceededSends(101);
        for (var i = 0; i < 100; i++)
        {
            if (i > 0 && i % 30 == 0)
            {
                clock.Advance(TimeSpan.FromMinutes(1));
            }
            await mailer.SendAsync(Message(), CancellationToken.None);
        }

        var next = mailer.SendAsync(Message(), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(57) - TimeSpan.FromSeconds(1));
        Assert.False(next.IsCompleted);
        Assert.Equal(100, _server.Requests.Count);
        clock.Advance(TimeSpan.FromSeconds(1));
        await next;

        Assert.Equal(101, _server.Requests.Count);
    }

    [Fact]
    public async Task A_wait_longer_than_the_pacing_maximum_is_a_throttle_with_the_wait_as_retry_after_and_sends_nothing()
    {
        var clock = new FakeTimeProvider(Now);
        var mailer = Mailer(clock);
        ScriptSucceededSends(100);
        for (var i = 0; i < 100; i++)
        {
            if (i > 0 && i % 30 == 0)
            {
                clock.Advance(TimeSpan.FromMinutes(1));
            }
            await mailer.SendAsync(Message(), CancellationToken.None);
        }

        var throttled = await Assert.ThrowsAsync<ThrottledException>(() => mailer.SendAsync(Message(), CancellationToken.None));

        Assert.Equal(429, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(57), throttled.RetryAfter);
        Assert.Equal(100, _server.Requests.Count);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(30, 0)]
    public void A_quota_below_one_message_is_refused_at_construction(int perMinute, int perHour) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AcsEmailMailer.FromConnectionString(
            $"endpoint={Endpoint};accesskey={Convert.ToBase64String(AccessKey)}",
            new AcsEmailMailerOptions { MessagesPerMinute = perMinute, MessagesPerHour = perHour }));

    private void ScriptSucceededSends(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _server.Respond(HttpStatusCode.Accepted, Status("Succeeded"), ("Operation-Location", OperationUrl));
        }
    }

    [Fact]
    public async Task A_rejected_send_is_a_fault_with_the_services_code_and_message()
    {
        _server.Respond(HttpStatusCode.BadRequest, """{"error":{"code":"InvalidSenderDomain","message":"The sender domain is not linked."}}""");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Mailer().SendAsync(Message(), CancellationToken.None));

        Assert.Equal((400, "InvalidSenderDomain"), (error.Status, error.ErrorCode));
        Assert.Contains("The sender domain is not linked.", error.Message, StringComparison.Ordinal);
        Assert.Contains("cred-1@badges.example.edu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_operation_is_a_fault_with_the_operations_error()
    {
        _server.Respond(HttpStatusCode.Accepted, Status("Running"), ("Operation-Location", OperationUrl))
            .Respond(HttpStatusCode.OK, Status("Failed", """{"code":"RecipientMailboxFull","message":"Mailbox full"}"""));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Mailer().SendAsync(Message(), CancellationToken.None));

        Assert.Equal("RecipientMailboxFull", error.ErrorCode);
        Assert.Contains("ended Failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_string_without_an_access_key_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => AcsEmailMailer.FromConnectionString($"endpoint={Endpoint}"));

        Assert.Contains("accesskey", error.Message, StringComparison.Ordinal);
    }
}
