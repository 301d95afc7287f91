using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Pipeline.Azure.Http;
using Pipeline.Core.Mail;
using Pipeline.Core.Storage;

namespace Pipeline.Azure.Email;

/// <summary>Options of <see cref="AcsEmailMailer"/>: Azure.Core's retry (429 and 5xx retried, Retry-After honoured) and polling.</summary>
public sealed class AcsEmailMailerOptions : ClientOptions
{
    /// <summary>The Email REST api-version this client speaks (inline attachments with <c>contentId</c>).</summary>
    public const string ApiVersion = "2025-09-01";

    public AcsEmailMailerOptions()
    {
        Retry.MaxRetries = 10;
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxDelay = TimeSpan.FromMinutes(1);
    }

    /// <summary>Wait between status polls when the service sends no Retry-After.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Used for the HMAC date header, to wait between polls and to pace sends.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Sends started per sliding minute by this client; the next one waits. ACS's default quota: 30.</summary>
    public int MessagesPerMinute { get; set; } = 30;

    /// <summary>Sends started per sliding hour by this client; the next one waits. ACS's default quota: 100.</summary>
    public int MessagesPerHour { get; set; } = 100;

    /// <summary>
    /// The longest a send waits for the quota inside one invocation; beyond it the send throws
    /// <c>ThrottledException</c> with the wait as Retry-After and the stage puts its message back with that delay.
    /// </summary>
    public TimeSpan MaxPacingWait { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// <see cref="IMailer"/> on Communication Services Email: <c>POST {endpoint}/emails:send</c> (202 + <c>Operation-Location</c>),
/// then polling the operation until it succeeds; a failed or cancelled operation is a fault (the queue retries the message).
/// Authentication is HMAC with the resource's access key, or Entra ID (<c>https://communication.azure.com/.default</c>).
/// <c>Repeatability-Request-Id</c> is derived from <see cref="EmailMessage.MessageId"/>, so a resend after a crash is
/// recognised by the service. The quota is respected by waiting, never by failing the message: sends are paced to
/// <see cref="AcsEmailMailerOptions.MessagesPerMinute"/> and <see cref="AcsEmailMailerOptions.MessagesPerHour"/> before
/// they leave, and a 429 that still comes back is waited out through Retry-After.
/// </summary>
public sealed class AcsEmailMailer : IMailer
{
    private const string Scope = "https://communication.azure.com/.default";

    private readonly Uri _endpoint;
    private readonly HttpPipeline _pipeline;
    private readonly AcsEmailMailerOptions _options;
    private readonly SendRateLimiter _limiter;

    /// <summary>HMAC authentication with the resource's access key (Base64, from its connection string).</summary>
    public AcsEmailMailer(Uri endpoint, string accessKey, AcsEmailMailerOptions? options = null)
        : this(endpoint, options ?? new AcsEmailMailerOptions(), o => new AcsHmacPolicy(Convert.FromBase64String(accessKey), o.Clock))
    {
    }

    /// <summary>Entra ID authentication (managed identity in Azure).</summary>
    public AcsEmailMailer(Uri endpoint, TokenCredential credential, AcsEmailMailerOptions? options = null)
        : this(endpoint, options ?? new AcsEmailMailerOptions(), _ => new BearerTokenAuthenticationPolicy(credential, Scope))
    {
    }

    private AcsEmailMailer(Uri endpoint, AcsEmailMailerOptions options, Func<AcsEmailMailerOptions, HttpPipelinePolicy> authentication)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _endpoint = endpoint;
        _options = options;
        _limiter = new SendRateLimiter(options.MessagesPerMinute, options.MessagesPerHour, options.Clock, options.MaxPacingWait);
        _pipeline = HttpPipelineBuilder.Build(options, authentication(options));
    }

    /// <summary>Parses <c>endpoint=https://…/;accesskey=…</c> (the resource's connection string) into an HMAC-authenticated mailer.</summary>
    public static AcsEmailMailer FromConnectionString(string connectionString, AcsEmailMailerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("endpoint", out var endpoint) || !parts.TryGetValue("accesskey", out var key))
        {
            throw new ArgumentException("Communication Services connection string: expected \"endpoint=https://…;accesskey=…\".", nameof(connectionString));
        }
        return new AcsEmailMailer(new Uri(endpoint), key, options);
    }

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _limiter.WaitAsync(cancellationToken);
        using var send = ServiceError.Json(_pipeline, RequestMethod.Post, SendUri(), BinaryData.FromString(ToRequestBody(message).ToJsonString()));
        send.Request.Headers.Add("Repeatability-Request-Id", RepeatabilityId(message.MessageId).ToString());
        send.Request.Headers.Add("Repeatability-First-Sent", _options.Clock.GetUtcNow().ToString("r", System.Globalization.CultureInfo.InvariantCulture));
        await _pipeline.SendAsync(send, cancellationToken);
        ServiceError.ThrowUnless(send.Response, $"Communication Services emails:send for {message.MessageId}", 202);
        if (!send.Response.Headers.TryGetValue("Operation-Location", out var location))
        {
            throw new InvalidOperationException($"Communication Services emails:send for {message.MessageId}: 202 without an Operation-Location header.");
        }
        var status = ReadStatus(send.Response.Content);
        var retryAfter = RetryAfter(send.Response);
        while (status is "NotStarted" or "Running")
        {
            await Task.Delay(retryAfter ?? _options.PollInterval, _options.Clock, cancellationToken);
            using var poll = ServiceError.Json(_pipeline, RequestMethod.Get, new Uri(location), null);
            await _pipeline.SendAsync(poll, cancellationToken);
            ServiceError.ThrowUnless(poll.Response, $"Communication Services email operation for {message.MessageId}", 200);
            status = ReadStatus(poll.Response.Content);
            retryAfter = RetryAfter(poll.Response);
            if (status is "Failed" or "Canceled")
            {
                throw ServiceError.From(poll.Response, $"Communication Services email operation for {message.MessageId} ended {status}");
            }
        }
        if (status != "Succeeded")
        {
            throw new InvalidOperationException($"Communication Services email operation for {message.MessageId}: unexpected status \"{status}\".");
        }
    }

    /// <summary>The documented request body: sender, content (subject, plainText, html), recipients and inline attachments.</summary>
    public static JsonObject ToRequestBody(EmailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = new JsonObject
        {
            ["senderAddress"] = message.From.Address,
            ["content"] = new JsonObject
            {
                ["subject"] = MailHeaders.OneLine(message.Subject) ?? string.Empty,
                ["plainText"] = message.TextBody,
                ["html"] = message.HtmlBody,
            },
            ["recipients"] = new JsonObject
            {
                ["to"] = new JsonArray(Address(message.To)),
            },
            ["headers"] = new JsonObject { ["Message-ID"] = $"<{message.MessageId}>" },
            ["userEngagementTrackingDisabled"] = true,
        };
        if (message.InlineImages.Count > 0)
        {
            body["attachments"] = new JsonArray(message.InlineImages.Select(image => (JsonNode)new JsonObject
            {
                ["name"] = image.FileName,
                ["contentType"] = image.ContentType,
                ["contentInBase64"] = Convert.ToBase64String(image.Content.Span),
                ["contentId"] = image.ContentId,
            }).ToArray());
        }
        return body;
    }

    /// <summary>A name-based UUID of the message id (SHA-256, version and variant bits set), stable across resends.</summary>
    public static Guid RepeatabilityId(string messageId)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(messageId)).AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static JsonObject Address(EmailAddress address)
    {
        var json = new JsonObject { ["address"] = address.Address };
        if (MailHeaders.OneLine(address.DisplayName) is { } name)
        {
            // The service builds the To: header from it: one line, whatever the ledger holds (MailHeaders).
            json["displayName"] = name;
        }
        return json;
    }

    private static string? ReadStatus(BinaryData content)
    {
        using var json = JsonDocument.Parse(content);
        return json.RootElement.TryGetProperty("status", out var status) ? status.GetString() : null;
    }

    private static TimeSpan? RetryAfter(Response response) =>
        response.Headers.TryGetValue("Retry-After", out var value) && int.TryParse(value, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;

    private Uri SendUri()
    {
        var builder = new RequestUriBuilder();
        builder.Reset(_endpoint);
        builder.AppendPath("/emails:send", escape: false);
        builder.AppendQuery("api-version", AcsEmailMailerOptions.ApiVersion);
        return builder.ToUri();
    }
}
