using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Pipeline.Local.Storage;

/// <summary>Small helpers over <see cref="SqliteCommand"/>: parameters as (name, value) pairs, null as DBNull, and value conversions.</summary>
internal static class SqliteCommands
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    public static async Task<int> ExecuteAsync(this SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, transaction, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<T?> ScalarAsync<T>(this SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, transaction, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    public static async Task<List<T>> QueryAsync<T>(this SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, transaction, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    public static string ToText(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    public static string? ToText(DateTimeOffset? value) => value is { } v ? ToText(v) : null;

    public static DateTimeOffset ReadTime(this SqliteDataReader reader, string column) =>
        DateTimeOffset.ParseExact(reader.GetString(reader.GetOrdinal(column)), "O", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ReadNullableTime(this SqliteDataReader reader, string column) =>
        reader.ReadNullableString(column) is { } text ? DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture) : null;

    public static string ReadString(this SqliteDataReader reader, string column) => reader.GetString(reader.GetOrdinal(column));

    public static string? ReadNullableString(this SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public static long ReadInt64(this SqliteDataReader reader, string column) => reader.GetInt64(reader.GetOrdinal(column));
}
