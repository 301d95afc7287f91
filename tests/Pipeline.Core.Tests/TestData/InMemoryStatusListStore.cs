using System.Globalization;
using Pipeline.Core.Status;

namespace Pipeline.Core.Tests.TestData;

/// <summary>
/// The status-list store port in memory, with the insert-if-absent and compare-and-swap semantics it requires.
/// Pipeline.Local.Tests compiles this file too and runs the port's contract against it.
/// </summary>
internal sealed class InMemoryStatusListStore : IStatusListStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Issuer, int Number), Entry> _lists = [];

    public IReadOnlyList<StatusListState> Lists
    {
        get
        {
            lock (_lock)
            {
                return [.. _lists.Values.Select(e => e.State).OrderBy(l => l.IssuerId, StringComparer.Ordinal).ThenBy(l => l.Number)];
            }
        }
    }

    public async Task<StatusListState?> GetCurrentAsync(string issuerId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_lock)
        {
            return _lists.Values.Select(e => e.State).Where(l => l.IssuerId == issuerId).MaxBy(l => l.Number);
        }
    }

    public async Task<bool> TryAddAsync(StatusListState list, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_lock)
        {
            return _lists.TryAdd((list.IssuerId, list.Number), new Entry(list, new byte[list.Length / 8], 0, null));
        }
    }

    public async Task<bool> TryClaimBlockAsync(string issuerId, int number, long expectedNext, long newNext, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_lock)
        {
            if (!_lists.TryGetValue((issuerId, number), out var entry) || entry.State.NextCounter != expectedNext)
            {
                return false;
            }
            _lists[(issuerId, number)] = entry with { State = entry.State with { NextCounter = newNext } };
            return true;
        }
    }

    public async Task<StatusListBits?> GetListAsync(string issuerId, string listId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_lock)
        {
            return Find(issuerId, listId) is { } key ? ToBits(_lists[key]) : null;
        }
    }

    public async Task<bool> TrySetBitsAsync(string issuerId, string listId, ReadOnlyMemory<byte> bits, long expectedVersion, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_lock)
        {
            var key = Find(issuerId, listId) ?? throw new InvalidOperationException($"Status list {issuerId}/{listId} does not exist.");
            var entry = _lists[key];
            if (bits.Length != entry.Bits.Length)
            {
                throw new ArgumentException($"Status list {issuerId}/{listId} has {entry.Bits.Length} bytes; got {bits.Length}.", nameof(bits));
            }
            if (entry.Version != expectedVersion)
            {
                return false;
            }
            _lists[key] = entry with { Bits = bits.ToArray(), Version = entry.Version + 1 };
            return true;
        }
    }

    public async Task<bool> TryMarkPublishedAsync(string issuerId, string listId, long? expectedPublishedVersion, long version, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_lock)
        {
            var key = Find(issuerId, listId) ?? throw new InvalidOperationException($"Status list {issuerId}/{listId} does not exist.");
            var entry = _lists[key];
            if (version < expectedPublishedVersion || version > entry.Version || version < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(version), version, $"Status list {issuerId}/{listId} is at version {entry.Version}, expected published {expectedPublishedVersion?.ToString(CultureInfo.InvariantCulture) ?? "never"}.");
            }
            if (entry.PublishedVersion != expectedPublishedVersion)
            {
                return false;
            }
            _lists[key] = entry with { PublishedVersion = version };
            return true;
        }
    }

    public async Task<IReadOnlyList<StatusListBits>> GetUnpublishedAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_lock)
        {
            return [.. _lists.Values.Select(ToBits).Where(b => b.NeedsPublishing)];
        }
    }

    private (string, int)? Find(string issuerId, string listId) =>
        int.TryParse(listId, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
        && number.ToString(CultureInfo.InvariantCulture) == listId
        && _lists.ContainsKey((issuerId, number))
            ? (issuerId, number)
            : null;

    private static StatusListBits ToBits(Entry entry) => new()
    {
        IssuerId = entry.State.IssuerId,
        ListId = entry.State.ListId,
        Bits = entry.Bits.ToArray(),
        Version = entry.Version,
        PublishedVersion = entry.PublishedVersion,
    };

    private sealed record Entry(StatusListState State, byte[] Bits, long Version, long? PublishedVersion);
}
