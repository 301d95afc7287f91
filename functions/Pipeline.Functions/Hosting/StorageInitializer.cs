using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Hosting;
using Pipeline.Azure.Storage;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Functions.Hosting;

/// <summary>
/// Creates the tables, queues (and their poison twins) and containers at start when they are missing: the Bicep creates
/// them in Azure; against Azurite this makes a fresh emulator usable.
/// </summary>
internal sealed class StorageInitializer(PipelineTables tables, QueueServiceClient queues, BlobServiceClient blobs) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        foreach (var queue in Queues.All.SelectMany(q => new[] { q, q + Queues.PoisonSuffix }))
        {
            await queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
        foreach (var container in new[] { Containers.SisInbox, Containers.SisProcessed, Containers.SisReports, Containers.Credentials, Containers.Public })
        {
            await blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
