using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Contracts;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http.Pages;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Http.ClaimLinks;

/// <summary>
/// <c>POST /claim</c> (form field <c>email</c>), the expired-link page's "send me a new link": puts one
/// <see cref="ResendClaimLinks"/> for the email (trimmed, lower-cased) on the <c>claim-resends</c> queue, whoever's it
/// is, and answers. The lookup and the resends happen off the request path (<c>ResendClaimLinksHandler</c>), so the
/// answer is the same page, byte for byte, after the same work, whether anything is found or not: neither its content
/// nor its timing tells anyone who holds a badge. The message is on the durable queue before the answer, so an
/// accepted request survives a restart. Requests beyond <see cref="NewClaimLinkOptions"/> get 429.
/// </summary>
public sealed partial class NewClaimLinkEndpoint(
    IMessageSender sender,
    NewClaimLinkLimiter limiter,
    ILogger<NewClaimLinkEndpoint> logger)
{
    public const string Route = "claim";

    /// <summary>The longest email address accepted (RFC 5321's path limit).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>The largest form read: the email field and a browser's overhead, many times over.</summary>
    public const int MaxFormBytes = 4 * 1024;

    /// <summary>Characters an address typed into the form never has (RFC 5322 specials outside quoted local parts).</summary>
    private const string NotInAddress = "\"(),:;<>[\\]";

    public async Task<IResult> RequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasFormContentType)
        {
            return Problems.Write(request, ProblemTypes.InvalidEmail, "Enter the email address your institution has for you, such as name@example.edu.");
        }
        var (form, problem) = await RequestBody.ReadFormAsync(request, MaxFormBytes, new FormLimits { MaxParts = 4 }, $"The form is larger than {MaxFormBytes} bytes; send only the email address.", cancellationToken);
        if (form is null)
        {
            return Problems.Write(request, problem!.Type, problem.Detail);
        }
        var email = Email(form);
        if (email is null)
        {
            return Problems.Write(request, ProblemTypes.InvalidEmail, "Enter the email address your institution has for you, such as name@example.edu.");
        }
        var normalised = RecipientIdentity.NormalizeEmail(email);
        var client = request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (limiter.TryAcquire(client, normalised) is { } retryAfter)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Problems.Write(request, ProblemTypes.RateLimited, $"Too many requests for a new claim link; try again in {Wait(seconds)}.");
        }
        var correlationId = "claim-request:" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        await sender.SendAsync(StageMessages.ToClaimResends(new ResendClaimLinks { CorrelationId = correlationId, Email = normalised }), cancellationToken);
        Log.Requested(logger, correlationId);
        return Responses.Page(NewClaimLinkPage.Render(), isPrivate: true);
    }

    private static string? Email(IFormCollection form)
    {
        var email = form["email"].ToString().Trim();
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return email.Length is > 2 and <= MaxEmailLength && at > 0 && at < email.Length - 1 && at == email.LastIndexOf('@')
            && !email.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || NotInAddress.Contains(c)) ? email : null;
    }

    private static string Wait(int seconds) => seconds < 120
        ? $"{seconds} seconds"
        : $"{(int)Math.Ceiling(seconds / 60.0)} minutes";

    private static partial class Log
    {
        [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "New claim link requested (correlation {CorrelationId})")]
        public static partial void Requested(ILogger logger, string correlationId);
    }
}
