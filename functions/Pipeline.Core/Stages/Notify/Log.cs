using Microsoft.Extensions.Logging;

namespace Pipeline.Core.Stages.Notify;

internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Claim email for credential {CredentialId} sent (correlation {CorrelationId})")]
    public static partial void Sent(ILogger logger, string credentialId, string correlationId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Claim email for credential {CredentialId} was already sent (correlation {CorrelationId})")]
    public static partial void AlreadySent(ILogger logger, string credentialId, string correlationId);
}
