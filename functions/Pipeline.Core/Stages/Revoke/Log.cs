using Microsoft.Extensions.Logging;

namespace Pipeline.Core.Stages.Revoke;

internal static partial class Log
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Credential {CredentialId} revoked by {Actor}: status list {IssuerId}/{ListId} index {Index}")]
    public static partial void Revoked(ILogger logger, string credentialId, string actor, string issuerId, string listId, int index);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Debug, Message = "Credential {CredentialId} was already revoked")]
    public static partial void AlreadyRevoked(ILogger logger, string credentialId);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "Bulk revocation by {Actor}: {Rows} rows, {Revoked} revoked, {Failed} failed")]
    public static partial void Bulk(ILogger logger, string actor, int rows, int revoked, int failed);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "Bulk revocation by {Actor} refused, nothing revoked: {Invalid} rows to fix, the first row {Row}")]
    public static partial void BulkRefused(ILogger logger, string actor, int invalid, int row);
}
