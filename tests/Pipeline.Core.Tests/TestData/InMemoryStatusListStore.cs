using Pipeline.Core.Status;

namespace Pipeline.Core.Tests.TestData;

/// <summary>The status-list store port in memory, with the insert-if-absent and compare-and-swap semantics it requires.</summary>
internal sealed class InMemoryStatusListStore : IStatusListStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Issuer, int Number), StatusListState> _lists = [];

    public IReadOnlyList<StatusListState> Lists
    {
        get
        {
            lock (_lock)
            {
                return [.. _lists.Values.OrderBy(l => l.IssuerId, StringComparer.Ordinal).ThenBy(l => l.Number)];
            }
        }
    }

    public async Task<StatusListState?> GetCurrentAsync(string issuerId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_lock)
        {
            return _lists.Values.Where(l => l.IssuerId == issuerId).MaxBy(l => l.Number);
        }
    }

    public async Task<bool> TryAddAsync(StatusListState list, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_lock)
        {
            return _lists.TryAdd((list.IssuerId, list.Number), list);
        }
    }

    public async Task<bool> TryClaimBlockAsync(string issuerId, int number, long expectedNext, long newNext, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_lock)
        {
            if (!_lists.TryGetValue((issuerId, number), out var list) || list.NextCounter != expectedNext)
            {
                return false;
            }
            _lists[(issuerId, number)] = list with { NextCounter = newNext };
            return true;
        }
    }
}
