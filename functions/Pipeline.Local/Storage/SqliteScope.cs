using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Pipeline.Local.Storage;

/// <summary>
/// A kept connection as an operation sees it (the writer's, or a reader's of <see cref="SqliteDatabase.ReadAsync{T}"/>):
/// commands by SQL text, prepared once and kept for the life of the connection (SQLite parses each statement once,
/// not once per call).
/// </summary>
internal sealed class SqliteScope : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    private SqliteScope(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens a connection; <paramref name="pragmas"/> (e.g. <c>PRAGMA synchronous=NORMAL;</c>) run once on it.</summary>
    public static SqliteScope Open(string connectionString, string? pragmas = null)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            if (pragmas is not null)
            {
                using var command = connection.CreateCommand();
                command.CommandText = pragmas;
                command.ExecuteNonQuery();
            }
            return new SqliteScope(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The kept command for <paramref name="sql"/> with <paramref name="parameters"/> bound (null as NULL).</summary>
    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters) => Command(sql, parameters).ExecuteNonQuery();

    public T? Scalar<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        var value = Command(sql, parameters).ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        using var reader = Command(sql, parameters).ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
        _connection.Dispose();
    }
}
