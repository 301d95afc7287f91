using Microsoft.Extensions.Logging;

namespace Pipeline.Core.Stages.Evaluate;

internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Completion {EventId} was already recorded (correlation {CorrelationId})")]
    public static partial void DuplicateEvent(ILogger logger, string eventId, string correlationId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Learner {LearnerId} earned {AchievementId} (correlation {CorrelationId})")]
    public static partial void Earned(ILogger logger, string learnerId, string achievementId, string correlationId);
}
