using Microsoft.Extensions.Logging;

namespace Pipeline.Local.Dispatching;

internal static partial class Log
{
    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Dispatching queue {Queue} with up to {MaxConcurrency} handlers")]
    public static partial void DispatcherStarted(this ILogger logger, string queue, int maxConcurrency);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Stopped dispatching queue {Queue}")]
    public static partial void DispatcherStopped(this ILogger logger, string queue);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "Message {MessageId} on {Queue} failed on attempt {DequeueCount} of {MaxDequeueCount}; it will be retried")]
    public static partial void HandlerFailed(this ILogger logger, Exception exception, string queue, string messageId, int dequeueCount, int maxDequeueCount);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Error, Message = "Message {MessageId} on {Queue} moved to the poison queue after {DequeueCount} attempts: {Reason}")]
    public static partial void MovedToPoison(this ILogger logger, string queue, string messageId, int dequeueCount, string reason);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Warning, Message = "Message {MessageId} on {Queue} was handled but another consumer had received it since; it was not deleted and will be handled again")]
    public static partial void LeaseLost(this ILogger logger, string queue, string messageId);

    [LoggerMessage(EventId = 5206, Level = LogLevel.Warning, Message = "Message {MessageId} on {Queue} was not finished before shutdown; it will reappear after its visibility timeout")]
    public static partial void HandlerAbandoned(this ILogger logger, string queue, string messageId);

    [LoggerMessage(EventId = 5207, Level = LogLevel.Error, Message = "Receiving from {Queue} failed; retrying after {Delay}")]
    public static partial void ReceiveFailed(this ILogger logger, Exception exception, string queue, TimeSpan delay);

    [LoggerMessage(EventId = 5208, Level = LogLevel.Warning, Message = "{Count} handlers on {Queue} were still running after the shutdown timeout; their messages will reappear")]
    public static partial void ShutdownTimedOut(this ILogger logger, string queue, int count);

    [LoggerMessage(EventId = 5210, Level = LogLevel.Information, Message = "Message {MessageId} on {Queue} throttled; put back for {Delay}, not counted as an attempt: {Reason}")]
    public static partial void HandlerThrottled(this ILogger logger, string queue, string messageId, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 5209, Level = LogLevel.Error, Message = "Recording the outcome of message {MessageId} on {Queue} failed; it will reappear after its visibility timeout")]
    public static partial void OutcomeNotRecorded(this ILogger logger, Exception exception, string queue, string messageId);
}
