using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Pipeline.Core.Storage;

namespace Pipeline.Azure.Storage;

/// <summary>
/// <see cref="IBlobStore"/> on Azure Blob Storage. A container is created on its first write; an upload replaces the
/// blob atomically (a reader sees the old or the new block list, never a mix). Reads of a missing blob or container are null.
/// </summary>
public sealed class AzureBlobStore(BlobServiceClient service) : IBlobStore
{
    private readonly CreateOnce<BlobContainerClient> _containers = new(async name =>
    {
        var client = service.GetBlobContainerClient(name);
        await client.CreateIfNotExistsAsync();
        return client;
    });

    public async Task PutAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        var blob = Blob(container, name);
        await _containers.GetAsync(container, cancellationToken);
        await blob.UploadAsync(
            BinaryData.FromBytes(content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
            cancellationToken);
    }

    public async Task<BlobContent?> GetAsync(string container, string name, CancellationToken cancellationToken)
    {
        var blob = Blob(container, name);
        try
        {
            var result = (await blob.DownloadContentAsync(cancellationToken)).Value;
            return new BlobContent(result.Content.ToMemory(), result.Details.ContentType);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    public async Task<Stream?> OpenReadAsync(string container, string name, CancellationToken cancellationToken)
    {
        var blob = Blob(container, name);
        try
        {
            return await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<string> ListAsync(string container, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StorageNames.ValidateContainerOrQueue(container, "Container", nameof(container));
        var pages = service.GetBlobContainerClient(container).GetBlobsAsync(cancellationToken: cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                Page<BlobItem> page;
                try
                {
                    if (!await pages.MoveNextAsync())
                    {
                        yield break;
                    }
                    page = pages.Current;
                }
                catch (RequestFailedException exception) when (exception.Status == 404)
                {
                    yield break;
                }
                foreach (var item in page.Values)
                {
                    yield return item.Name;
                }
            }
        }
        finally
        {
            await pages.DisposeAsync();
        }
    }

    public async Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken)
    {
        var blob = Blob(container, name);
        try
        {
            return (await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return false;
        }
    }

    /// <summary>
    /// A server-side copy (Copy Blob within the account: the content and its properties never pass through this
    /// process; the request's own credentials authorize the source), waited for, then the source deleted.
    /// </summary>
    public async Task<bool> MoveAsync(string sourceContainer, string name, string targetContainer, CancellationToken cancellationToken)
    {
        var source = Blob(sourceContainer, name);
        var target = Blob(targetContainer, name);
        await _containers.GetAsync(targetContainer, cancellationToken);
        CopyFromUriOperation copy;
        try
        {
            copy = await target.StartCopyFromUriAsync(source.Uri, new BlobCopyFromUriOptions(), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return false;
        }
        await copy.WaitForCompletionAsync(cancellationToken);
        var copied = (await target.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        if (copied.BlobCopyStatus != CopyStatus.Success)
        {
            throw new RequestFailedException(
                $"Copying {sourceContainer}/{name} to {targetContainer} ended {copied.BlobCopyStatus}: {copied.CopyStatusDescription}");
        }
        await source.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        return true;
    }

    private BlobClient Blob(string container, string name)
    {
        StorageNames.ValidateContainerOrQueue(container, "Container", nameof(container));
        StorageNames.ValidateBlobName(name);
        return service.GetBlobContainerClient(container).GetBlobClient(name);
    }
}
