using System.Security.Cryptography;

namespace Pipeline.Core.Status;

/// <summary>
/// Hands out status-list slots: random-looking, never twice, safe across concurrent workers. Each worker claims a block
/// of counters from the store by compare-and-swap and serves slots from it in memory; a counter maps to an index
/// through the list's keyed <see cref="StatusListPermutation"/>. A full list rolls over to the next list number.
/// A block claimed by a worker that then stops is never handed out again: its indexes stay unused (zero bits),
/// which costs list space, never correctness.
/// </summary>
public sealed class StatusListAllocator : IDisposable
{
    private const int MaxStoreAttempts = 1000;
    private readonly IStatusListStore _store;
    private readonly int _blockSize;
    private readonly int _listLength;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Block> _blocks = new(StringComparer.Ordinal);

    public StatusListAllocator(IStatusListStore store, int blockSize = 64, int listLength = BitstringStatusList.MinimumLength)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(listLength, BitstringStatusList.MinimumLength);
        _store = store;
        _blockSize = blockSize;
        _listLength = listLength;
    }

    public async Task<StatusListSlot> AllocateAsync(string issuerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuerId);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_blocks.TryGetValue(issuerId, out var block) || block.Next >= block.End)
            {
                block = await ClaimBlockAsync(issuerId, cancellationToken);
                _blocks[issuerId] = block;
            }
            var counter = block.Next++;
            return new StatusListSlot(block.ListId, block.Permutation.Permute(checked((int)counter)));
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<Block> ClaimBlockAsync(string issuerId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxStoreAttempts; attempt++)
        {
            var current = await _store.GetCurrentAsync(issuerId, cancellationToken);
            if (current is null || current.IsFull)
            {
                await _store.TryAddAsync(NewList(issuerId, (current?.Number ?? 0) + 1), cancellationToken);
                continue;
            }
            var newNext = Math.Min(current.NextCounter + _blockSize, current.Length);
            if (await _store.TryClaimBlockAsync(issuerId, current.Number, current.NextCounter, newNext, cancellationToken))
            {
                var permutation = new StatusListPermutation(current.PermutationKey.Span, current.Length);
                return new Block(current.ListId, permutation, current.NextCounter, newNext);
            }
        }
        throw new InvalidOperationException($"Could not claim a status-list block for issuer '{issuerId}' after {MaxStoreAttempts} attempts; the store keeps refusing.");
    }

    private StatusListState NewList(string issuerId, int number) => new()
    {
        IssuerId = issuerId,
        Number = number,
        Length = _listLength,
        PermutationKey = RandomNumberGenerator.GetBytes(32),
        NextCounter = 0,
    };

    private sealed class Block(string listId, StatusListPermutation permutation, long next, long end)
    {
        public string ListId { get; } = listId;
        public StatusListPermutation Permutation { get; } = permutation;
        public long Next { get; set; } = next;
        public long End { get; } = end;
    }
}
