using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Contracts;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;
using Pipeline.Functions.Hosting;

namespace Pipeline.Functions.Functions;

/// <summary>The pipeline's stages as triggers: each binds, calls the same handler as the embedded host, and lets faults propagate.</summary>
public sealed partial class StageFunctions(StageRunner stages, IngestSisFileHandler ingest, StatusListPublisher statusLists, ILogger<StageFunctions> logger)
{
    /// <summary>Every minute, at second 0.</summary>
    public const string StatusListSchedule = "0 * * * * *";

    [Function("Evaluate")]
    public Task EvaluateAsync(
        [QueueTrigger(Queues.Completions, Connection = AzurePipelineServiceCollectionExtensions.StorageConnection)] string body,
        CancellationToken cancellationToken) =>
        stages.RunAsync(Queues.Completions, body, cancellationToken);

    [Function("Issue")]
    public Task IssueAsync(
        [QueueTrigger(Queues.Issuance, Connection = AzurePipelineServiceCollectionExtensions.StorageConnection)] string body,
        CancellationToken cancellationToken) =>
        stages.RunAsync(Queues.Issuance, body, cancellationToken);

    [Function("Notify")]
    public Task NotifyAsync(
        [QueueTrigger(Queues.Emails, Connection = AzurePipelineServiceCollectionExtensions.StorageConnection)] string body,
        CancellationToken cancellationToken) =>
        stages.RunAsync(Queues.Emails, body, cancellationToken);

    /// <summary>"Send me a new link" (<c>POST /claim</c>): the address's lookup and resends, off the request path.</summary>
    [Function("ResendClaimLinks")]
    public Task ResendClaimLinksAsync(
        [QueueTrigger(Queues.ClaimResends, Connection = AzurePipelineServiceCollectionExtensions.StorageConnection)] string body,
        CancellationToken cancellationToken) =>
        stages.RunAsync(Queues.ClaimResends, body, cancellationToken);

    /// <summary>An SIS drop: Event Grid delivers the blob-created event (the only blob trigger source Flex Consumption supports).</summary>
    [Function("IngestSisFile")]
    public async Task IngestSisFileAsync(
        [BlobTrigger(Containers.SisInbox + "/{name}", Source = BlobTriggerSource.EventGrid, Connection = AzurePipelineServiceCollectionExtensions.StorageConnection)] BlobClient blob,
        string name,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var report = await ingest.HandleAsync(Containers.SisInbox, name, cancellationToken);
        LogIngested(logger, name, report.Counts.Accepted, report.Counts.Rejected, report.Counts.Duplicate);
    }

    [Function("PublishStatusLists")]
    public async Task PublishStatusListsAsync([TimerTrigger(StatusListSchedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var published = await statusLists.PublishPendingAsync(cancellationToken);
        if (published > 0)
        {
            LogPublished(logger, published);
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Ingested sis-inbox/{Name}: {Accepted} accepted, {Rejected} rejected, {Duplicate} duplicate rows")]
    private static partial void LogIngested(ILogger logger, string name, int accepted, int rejected, int duplicate);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Published {Count} status lists")]
    private static partial void LogPublished(ILogger logger, int count);
}
