using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Pipeline.Core.Status;

namespace Pipeline.Azure.Storage;

/// <summary>
/// <see cref="IStatusListStore"/> on a table: partition = issuer, row = list number zero-padded to 10 digits (so rows
/// sort by number). Lists are added through AddEntity and its 409; every compare-and-swap reads the row, checks the
/// expected value and replaces the row under its ETag, re-reading when another writer changed the row meanwhile. The bits
/// are split over binary properties of at most 64 KiB (the table limit), <c>Bits0</c>, <c>Bits1</c>…
/// </summary>
public sealed class TableStatusListStore(TableClient table) : IStatusListStore
{
    private const int ChunkBytes = 64 * 1024;

    public async Task<StatusListState?> GetCurrentAsync(string issuerId, CancellationToken cancellationToken)
    {
        var rows = await PipelineTables.QueryPartitionAsync(table, StorageNames.Key(issuerId), cancellationToken);
        var current = rows.MaxBy(r => r.RowKey, StringComparer.Ordinal);
        return current is null ? null : ReadState(current);
    }

    public async Task<bool> TryAddAsync(StatusListState list, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        var entity = new TableEntity(StorageNames.Key(list.IssuerId), RowKey(list.Number))
        {
            ["IssuerId"] = list.IssuerId,
            ["Number"] = list.Number,
            ["Length"] = list.Length,
            ["PermutationKey"] = list.PermutationKey.ToArray(),
            ["NextCounter"] = list.NextCounter,
            ["Version"] = 0L,
            ["PublishedVersion"] = null,
        };
        WriteBits(entity, new byte[list.Length / 8]);
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (PipelineTables.IsConflict(exception))
        {
            return false;
        }
    }

    public Task<bool> TryClaimBlockAsync(string issuerId, int number, long expectedNext, long newNext, CancellationToken cancellationToken) =>
        CompareAndSwapAsync(issuerId, RowKey(number), $"{number}", entity =>
        {
            if (TableValues.ReadInt64(entity, "NextCounter") != expectedNext)
            {
                return false;
            }
            entity["NextCounter"] = newNext;
            return true;
        }, cancellationToken);

    public async Task<StatusListBits?> GetListAsync(string issuerId, string listId, CancellationToken cancellationToken)
    {
        if (ParseListId(listId) is not { } number)
        {
            return null;
        }
        var entity = await PipelineTables.GetOrNullAsync(table, StorageNames.Key(issuerId), RowKey(number), cancellationToken);
        return entity is null ? null : ReadBits(entity);
    }

    public Task<bool> TrySetBitsAsync(string issuerId, string listId, ReadOnlyMemory<byte> bits, long expectedVersion, CancellationToken cancellationToken) =>
        CompareAndSwapAsync(issuerId, ListRowKey(issuerId, listId), listId, entity =>
        {
            var byteLength = TableValues.ReadInt32(entity, "Length") / 8;
            if (bits.Length != byteLength)
            {
                throw new ArgumentException($"Status list {issuerId}/{listId} has {byteLength} bytes; got {bits.Length}.", nameof(bits));
            }
            var version = TableValues.ReadInt64(entity, "Version");
            if (version != expectedVersion)
            {
                return false;
            }
            WriteBits(entity, bits.Span);
            entity["Version"] = version + 1;
            return true;
        }, cancellationToken);

    public Task<bool> TryMarkPublishedAsync(string issuerId, string listId, long? expectedPublishedVersion, long version, CancellationToken cancellationToken) =>
        CompareAndSwapAsync(issuerId, ListRowKey(issuerId, listId), listId, entity =>
        {
            var current = TableValues.ReadInt64(entity, "Version");
            if (version < 0 || version < expectedPublishedVersion || version > current)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(version),
                    version,
                    $"Status list {issuerId}/{listId} is at version {current}; expected published {expectedPublishedVersion?.ToString(CultureInfo.InvariantCulture) ?? "never"}.");
            }
            if (entity.GetInt64("PublishedVersion") != expectedPublishedVersion)
            {
                return false;
            }
            entity["PublishedVersion"] = version;
            return true;
        }, cancellationToken);

    public async Task<IReadOnlyList<StatusListBits>> GetUnpublishedAsync(CancellationToken cancellationToken)
    {
        var pending = new List<StatusListBits>();
        await foreach (var entity in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            var bits = ReadBits(entity);
            if (bits.NeedsPublishing)
            {
                pending.Add(bits);
            }
        }
        return pending;
    }

    private async Task<bool> CompareAndSwapAsync(string issuerId, string rowKey, string listId, Func<TableEntity, bool> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entity = await PipelineTables.GetOrNullAsync(table, StorageNames.Key(issuerId), rowKey, cancellationToken)
                ?? throw new InvalidOperationException($"Status list {issuerId}/{listId} does not exist.");
            if (!change(entity))
            {
                return false;
            }
            try
            {
                await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException exception) when (PipelineTables.IsPreconditionFailed(exception))
            {
                // Another writer changed the row since it was read: check the expectation again on the new row.
            }
        }
    }

    private static string RowKey(int number) => number.ToString("D10", CultureInfo.InvariantCulture);

    private static int? ParseListId(string listId) =>
        int.TryParse(listId, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number.ToString(CultureInfo.InvariantCulture) == listId
            ? number
            : null;

    private static string ListRowKey(string issuerId, string listId) =>
        ParseListId(listId) is { } number ? RowKey(number) : throw new InvalidOperationException($"Status list {issuerId}/{listId} does not exist.");

    private static void WriteBits(TableEntity entity, ReadOnlySpan<byte> bits)
    {
        var chunks = (bits.Length + ChunkBytes - 1) / ChunkBytes;
        for (var i = 0; i < chunks; i++)
        {
            var start = i * ChunkBytes;
            entity[$"Bits{i}"] = bits.Slice(start, Math.Min(ChunkBytes, bits.Length - start)).ToArray();
        }
    }

    private static byte[] ReadBitsBytes(TableEntity entity)
    {
        var bits = new byte[TableValues.ReadInt32(entity, "Length") / 8];
        for (var (i, offset) = (0, 0); offset < bits.Length; i++, offset += ChunkBytes)
        {
            var chunk = entity.GetBinary($"Bits{i}") ?? throw new InvalidOperationException($"Status list row ({entity.PartitionKey}, {entity.RowKey}): property Bits{i} is missing.");
            chunk.CopyTo(bits, offset);
        }
        return bits;
    }

    private static StatusListState ReadState(TableEntity entity) => new()
    {
        IssuerId = TableValues.ReadString(entity, "IssuerId"),
        Number = TableValues.ReadInt32(entity, "Number"),
        Length = TableValues.ReadInt32(entity, "Length"),
        PermutationKey = entity.GetBinary("PermutationKey") ?? throw new InvalidOperationException($"Status list row ({entity.PartitionKey}, {entity.RowKey}): property PermutationKey is missing."),
        NextCounter = TableValues.ReadInt64(entity, "NextCounter"),
    };

    private static StatusListBits ReadBits(TableEntity entity) => new()
    {
        IssuerId = TableValues.ReadString(entity, "IssuerId"),
        ListId = TableValues.ReadInt32(entity, "Number").ToString(CultureInfo.InvariantCulture),
        Bits = ReadBitsBytes(entity),
        Version = TableValues.ReadInt64(entity, "Version"),
        PublishedVersion = entity.GetInt64("PublishedVersion"),
    };
}
