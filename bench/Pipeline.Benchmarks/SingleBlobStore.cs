using Pipeline.Core.Storage;

namespace Pipeline.Benchmarks;

/// <summary>One read-only blob in memory, so the ingest benchmark measures parsing and validation, not the disk.</summary>
internal sealed class SingleBlobStore(string container, string name, byte[] content) : IBlobStore
{
    public Task PutAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The benchmark's blob store is read-only.");

    public Task<BlobContent?> GetAsync(string container, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Matches(container, name) ? new BlobContent(content, "text/csv") : null);

    public Task<Stream?> OpenReadAsync(string container, string name, CancellationToken cancellationToken) =>
        Task.FromResult<Stream?>(Matches(container, name) ? new MemoryStream(content, writable: false) : null);

    public IAsyncEnumerable<string> ListAsync(string container, CancellationToken cancellationToken) =>
        (container == ContainerName ? new[] { name } : []).ToAsyncEnumerable();

    public Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The benchmark's blob store is read-only.");

    public Task<bool> MoveAsync(string sourceContainer, string name, string targetContainer, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The benchmark's blob store is read-only.");

    private string ContainerName => container;

    private bool Matches(string otherContainer, string otherName) => otherContainer == container && otherName == name;
}
