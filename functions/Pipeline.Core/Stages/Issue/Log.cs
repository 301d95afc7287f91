using Microsoft.Extensions.Logging;

namespace Pipeline.Core.Stages.Issue;

internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Issued credential {CredentialId} ({AchievementId} to {LearnerId}, correlation {CorrelationId})")]
    public static partial void Issued(ILogger logger, string credentialId, string achievementId, string learnerId, string correlationId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Credential {CredentialId} was already issued (correlation {CorrelationId})")]
    public static partial void AlreadyIssued(ILogger logger, string credentialId, string correlationId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Credential {CredentialId} was claimed by an earlier attempt; status slot {ListId}/{Index} from this attempt stays unused")]
    public static partial void ClaimedElsewhere(ILogger logger, string credentialId, string listId, int index);
}
