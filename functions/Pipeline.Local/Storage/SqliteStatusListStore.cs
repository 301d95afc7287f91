using System.Globalization;
using Microsoft.Data.Sqlite;
using Pipeline.Core.Status;

namespace Pipeline.Local.Storage;

/// <summary>
/// The <c>statuslists</c> table: one row per (issuer, list number) holding the allocation counter, the bits (a BLOB of
/// Length/8 bytes), their version and the published version (NULL: never published). Every compare-and-swap is one
/// conditional UPDATE or an immediate transaction, so concurrent workers never both win.
/// </summary>
internal sealed class SqliteStatusListStore(SqliteDatabase database) : IStatusListStore
{
    public Task<StatusListState?> GetCurrentAsync(string issuerId, CancellationToken cancellationToken)
    {
        return database.ReadAsync(scope => scope.Query(
            "SELECT issuer_id, number, length, permutation_key, next_counter FROM statuslists WHERE issuer_id = $issuer ORDER BY number DESC LIMIT 1;",
            reader => new StatusListState
            {
                IssuerId = reader.ReadString("issuer_id"),
                Number = checked((int)reader.ReadInt64("number")),
                Length = checked((int)reader.ReadInt64("length")),
                PermutationKey = (byte[])reader["permutation_key"],
                NextCounter = reader.ReadInt64("next_counter"),
            },
            ("$issuer", issuerId)).SingleOrDefault(), cancellationToken);
    }

    public Task<bool> TryAddAsync(StatusListState list, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        var key = list.PermutationKey.ToArray();
        return database.WriteAsync(scope => scope.Execute(
            """
            INSERT INTO statuslists (issuer_id, number, list_id, length, permutation_key, next_counter, bits, version, published_version)
            VALUES ($issuer, $number, $list, $length, $key, $next, zeroblob($length / 8), 0, NULL)
            ON CONFLICT DO NOTHING;
            """,
            ("$issuer", list.IssuerId),
            ("$number", list.Number),
            ("$list", list.ListId),
            ("$length", list.Length),
            ("$key", key),
            ("$next", list.NextCounter)) == 1, cancellationToken);
    }

    public Task<bool> TryClaimBlockAsync(string issuerId, int number, long expectedNext, long newNext, CancellationToken cancellationToken) =>
        database.WriteAsync(scope => scope.Execute(
            "UPDATE statuslists SET next_counter = $new WHERE issuer_id = $issuer AND number = $number AND next_counter = $expected;",
            ("$issuer", issuerId),
            ("$number", number),
            ("$expected", expectedNext),
            ("$new", newNext)) == 1, cancellationToken);

    public Task<StatusListBits?> GetListAsync(string issuerId, string listId, CancellationToken cancellationToken)
    {
        return database.ReadAsync(scope => scope.Query(
            "SELECT issuer_id, list_id, bits, version, published_version FROM statuslists WHERE issuer_id = $issuer AND list_id = $list;",
            ReadBits,
            ("$issuer", issuerId),
            ("$list", listId)).SingleOrDefault(), cancellationToken);
    }

    public Task<bool> TrySetBitsAsync(string issuerId, string listId, ReadOnlyMemory<byte> bits, long expectedVersion, CancellationToken cancellationToken)
    {
        var newBits = bits.ToArray();
        return database.WriteAsync(scope =>
        {
            var current = ReadVersion(scope, issuerId, listId);
            if (newBits.Length != current.ByteLength)
            {
                throw new ArgumentException($"Status list {issuerId}/{listId} has {current.ByteLength} bytes; got {newBits.Length}.", nameof(bits));
            }
            if (current.Version != expectedVersion)
            {
                return false;
            }
            scope.Execute(
                "UPDATE statuslists SET bits = $bits, version = version + 1 WHERE issuer_id = $issuer AND list_id = $list;",
                ("$issuer", issuerId),
                ("$list", listId),
                ("$bits", newBits));
            return true;
        }, cancellationToken);
    }

    public Task<bool> TryMarkPublishedAsync(string issuerId, string listId, long? expectedPublishedVersion, long version, CancellationToken cancellationToken) =>
        database.WriteAsync(scope =>
        {
            var current = ReadVersion(scope, issuerId, listId);
            if (version < 0 || version < expectedPublishedVersion || version > current.Version)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(version),
                    version,
                    $"Status list {issuerId}/{listId} is at version {current.Version}; expected published {expectedPublishedVersion?.ToString(CultureInfo.InvariantCulture) ?? "never"}.");
            }
            if (current.PublishedVersion != expectedPublishedVersion)
            {
                return false;
            }
            scope.Execute(
                "UPDATE statuslists SET published_version = $version WHERE issuer_id = $issuer AND list_id = $list;",
                ("$issuer", issuerId),
                ("$list", listId),
                ("$version", version));
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<StatusListBits>> GetUnpublishedAsync(CancellationToken cancellationToken)
    {
        return database.ReadAsync<IReadOnlyList<StatusListBits>>(scope => scope.Query(
            """
            SELECT issuer_id, list_id, bits, version, published_version FROM statuslists
            WHERE published_version IS NULL OR published_version < version
            ORDER BY issuer_id, number;
            """,
            ReadBits), cancellationToken);
    }

    private static (long Version, long? PublishedVersion, long ByteLength) ReadVersion(SqliteScope scope, string issuerId, string listId)
    {
        var rows = scope.Query(
            "SELECT version, published_version, length(bits) AS byte_length FROM statuslists WHERE issuer_id = $issuer AND list_id = $list;",
            reader => (
                reader.ReadInt64("version"),
                reader.IsDBNull(reader.GetOrdinal("published_version")) ? (long?)null : reader.ReadInt64("published_version"),
                reader.ReadInt64("byte_length")),
            ("$issuer", issuerId),
            ("$list", listId));
        return rows.Count == 1 ? rows[0] : throw new InvalidOperationException($"Status list {issuerId}/{listId} does not exist.");
    }

    private static StatusListBits ReadBits(SqliteDataReader reader) => new()
    {
        IssuerId = reader.ReadString("issuer_id"),
        ListId = reader.ReadString("list_id"),
        Bits = (byte[])reader["bits"],
        Version = reader.ReadInt64("version"),
        PublishedVersion = reader.IsDBNull(reader.GetOrdinal("published_version")) ? null : reader.ReadInt64("published_version"),
    };
}
