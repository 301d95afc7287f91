using Microsoft.Extensions.Logging;

namespace Pipeline.Core.Stages.Ingest;

internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Ingesting {File} with SIS map {Map}")]
    public static partial void IngestStarted(ILogger logger, string file, string map);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information,
        Message = "Ingested {File}: {Rows} rows, {Accepted} accepted, {Rejected} rejected, {Duplicate} duplicate, {Ignored} ignored, {Skipped} skipped")]
    public static partial void IngestFinished(ILogger logger, string file, int rows, int accepted, int rejected, int duplicate, int ignored, int skipped);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Rejected SIS file {File}: {Problem}")]
    public static partial void FileRejected(ILogger logger, string file, string problem);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "SIS file {File} is gone (already processed)")]
    public static partial void FileNotFound(ILogger logger, string file);
}
