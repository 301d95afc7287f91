using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Tests.TestData;

/// <summary>An <see cref="IBlobStore"/> in memory, faithful to the port: atomic replace, null for missing blobs.</summary>
internal sealed class InMemoryBlobStore : IBlobStore
{
    private readonly ConcurrentDictionary<(string Container, string Name), BlobContent> _blobs = new();

    public int WholeReads { get; private set; }

    public void Put(string container, string name, string text) =>
        _blobs[(container, name)] = new BlobContent(Encoding.UTF8.GetBytes(text), "text/csv");

    public void Put(string container, string name, byte[] content) =>
        _blobs[(container, name)] = new BlobContent(content, "text/csv");

    public byte[]? Bytes(string container, string name) => _blobs.TryGetValue((container, name), out var blob) ? blob.Content.ToArray() : null;

    public string? Text(string container, string name) => Bytes(container, name) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    public bool Exists(string container, string name) => _blobs.ContainsKey((container, name));

    public Task PutAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        _blobs[(container, name)] = new BlobContent(content.ToArray(), contentType);
        return Task.CompletedTask;
    }

    public Task<BlobContent?> GetAsync(string container, string name, CancellationToken cancellationToken)
    {
        WholeReads++;
        return Task.FromResult(_blobs.TryGetValue((container, name), out var blob) ? blob : null);
    }

    public Task<Stream?> OpenReadAsync(string container, string name, CancellationToken cancellationToken) =>
        Task.FromResult<Stream?>(_blobs.TryGetValue((container, name), out var blob) ? new MemoryStream(blob.Content.ToArray(), writable: false) : null);

    public async IAsyncEnumerable<string> ListAsync(string container, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var key in _blobs.Keys.Where(k => k.Container == container).Select(k => k.Name).Order(StringComparer.Ordinal))
        {
            yield return key;
        }
    }

    public Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken) =>
        Task.FromResult(_blobs.TryRemove((container, name), out _));

    public Task<bool> MoveAsync(string sourceContainer, string name, string targetContainer, CancellationToken cancellationToken)
    {
        if (!_blobs.TryRemove((sourceContainer, name), out var blob))
        {
            return Task.FromResult(false);
        }
        _blobs[(targetContainer, name)] = blob;
        return Task.FromResult(true);
    }
}

/// <summary>An <see cref="IMessageSender"/> that records what was sent, batch by batch.</summary>
internal sealed class RecordingMessageSender : IMessageSender
{
    private readonly List<IReadOnlyList<OutgoingMessage>> _batches = [];

    public IReadOnlyList<IReadOnlyList<OutgoingMessage>> Batches => _batches;

    public IReadOnlyList<OutgoingMessage> Sent => [.. _batches.SelectMany(b => b)];

    public Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        _batches.Add([message]);
        return Task.CompletedTask;
    }

    public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        _batches.Add([.. messages]);
        return Task.CompletedTask;
    }
}
