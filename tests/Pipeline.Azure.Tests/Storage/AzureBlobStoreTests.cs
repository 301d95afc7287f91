using Pipeline.Azure.Storage;
using Pipeline.Azure.Tests.TestData;
using Pipeline.Contracts.Tests.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Azure.Tests.Storage;

/// <summary>The blob contract over Azurite. The contract uses the real container names, so each test starts by emptying every container.</summary>
public sealed class AzureBlobStoreTests : BlobStoreContract
{
    protected override async Task<IBlobStore> CreateSutAsync()
    {
        var service = (await Azurite.GetAsync()).Blobs();
        await foreach (var container in service.GetBlobContainersAsync())
        {
            var client = service.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync())
            {
                await client.DeleteBlobAsync(blob.Name);
            }
        }
        return new AzureBlobStore(service);
    }
}
