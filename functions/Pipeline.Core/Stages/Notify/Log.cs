using Microsoft.Extensions.Logging;

namespace Pipeline.Core.Stages.Notify;

internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Claim email for credential {CredentialId} sent (correlation {CorrelationId})")]
    public static partial void Sent(ILogger logger, string credentialId, string correlationId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Claim email for credential {CredentialId} was already sent (correlation {CorrelationId})")]
    public static partial void AlreadySent(ILogger logger, string credentialId, string correlationId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Claim email for credential {CredentialId} resent at the learner's request, resend {Resend} (correlation {CorrelationId})")]
    public static partial void Resent(ILogger logger, string credentialId, int resend, string correlationId);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Resend {Resend} of the claim email for credential {CredentialId} was already sent (correlation {CorrelationId})")]
    public static partial void AlreadyResent(ILogger logger, string credentialId, int resend, string correlationId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "New claim link requested: {Queued} resends queued (correlation {CorrelationId})")]
    public static partial void ResendsQueued(ILogger logger, int queued, string correlationId);
}
