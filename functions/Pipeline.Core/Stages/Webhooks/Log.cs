using Microsoft.Extensions.Logging;

namespace Pipeline.Core.Stages.Webhooks;

internal static partial class Log
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Webhook delivery for partner {Partner} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string partner, WebhookRefusal reason);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Webhook delivery from {Partner}: {Accepted} accepted, {Duplicate} duplicate, {Rejected} rejected")]
    public static partial void Received(ILogger logger, string partner, int accepted, int duplicate, int rejected);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Partner {Partner} is in the catalog but has no active webhook secret; every delivery is refused")]
    public static partial void NoSecret(ILogger logger, string partner);
}
