using Microsoft.Extensions.Logging;

namespace Pipeline.Core.Status;

internal static partial class Log
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Published status list {IssuerId}/{ListId} at version {Version}")]
    public static partial void Published(ILogger logger, string issuerId, string listId, long version);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Status list {IssuerId}/{ListId} was published by another worker meanwhile; publishing it again")]
    public static partial void PublishRaced(ILogger logger, string issuerId, string listId);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "Status list {IssuerId}/{ListId} has changes to publish but its issuer is not in the catalog")]
    public static partial void UnknownIssuer(ILogger logger, string issuerId, string listId);
}
