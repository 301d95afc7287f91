using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Pipeline.Local.Storage;

/// <summary>
/// The embedded host's one SQLite file (<c>pipeline.db</c> in the data folder): ledgers, the integration-event
/// outbox and the durable queues. Every operation opens its own connection (Microsoft.Data.Sqlite pools them), so
/// concurrent dispatchers are safe; SQLite serialises writers, and operations that read then write run in an
/// immediate transaction (<c>BEGIN IMMEDIATE</c>, which is what <see cref="SqliteConnection.BeginTransaction()"/>
/// issues), so two writers never both decide on the same stale read.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    public const string FileName = "pipeline.db";

    /// <summary>How long a connection waits for another writer's lock before failing with SQLITE_BUSY.</summary>
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly string _connectionString;

    private SqliteDatabase(string path)
    {
        FilePath = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
    }

    public string FilePath { get; }

    /// <summary>Opens (creating when absent) <c>{dataFolder}/pipeline.db</c>, switches it to WAL and brings its schema up to date.</summary>
    public static async Task<SqliteDatabase> OpenAsync(string dataFolder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataFolder);
        Directory.CreateDirectory(dataFolder);
        var database = new SqliteDatabase(Path.Combine(Path.GetFullPath(dataFolder), FileName));
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await SqliteSchema.MigrateAsync(connection, cancellationToken);
        }
        return database;
    }

    /// <summary>A new open connection with the per-connection settings (busy timeout, synchronous=NORMAL) applied.</summary>
    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(
                string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA synchronous=NORMAL;"),
                cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes the pooled connections, so the file can be moved or deleted.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
