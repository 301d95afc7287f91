using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Pipeline.Local.Storage;

/// <summary>
/// The embedded host's one SQLite file (<c>pipeline.db</c> in the data folder): ledgers, the integration-event
/// outbox and the durable queues. Every operation opens its own connection (Microsoft.Data.Sqlite pools them), so
/// concurrent dispatchers are safe; operations that read then write run in an immediate transaction
/// (<c>BEGIN IMMEDIATE</c>, which is what <see cref="SqliteConnection.BeginTransaction()"/> issues), so two writers
/// never both decide on the same stale read.
/// <para>
/// Writers take turns in process: <see cref="OpenConnectionAsync"/> waits for a single in-process write gate, held
/// until the connection is disposed, so the host's concurrent handlers queue in FIFO order instead of meeting
/// SQLite's lock and sleeping in its busy handler (which backs off up to 100 ms a try, and was most of the embedded
/// pipeline's wall time). Read-only operations use <see cref="OpenReadConnectionAsync"/>: WAL readers never block the
/// writer nor each other. Another process (a second CLI on the same folder) still meets SQLite's lock and waits on
/// the busy timeout, as before. Durability: WAL with <c>synchronous=NORMAL</c> — a commit survives a process crash;
/// a power loss can lose the last commits, never corrupt the file.
/// </para>
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    public const string FileName = "pipeline.db";

    /// <summary>How long a connection waits for another writer's lock before failing with SQLITE_BUSY.</summary>
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

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

    /// <summary>
    /// A new open connection for an operation that writes, with the per-connection settings (busy timeout,
    /// synchronous=NORMAL) applied. It holds the in-process write gate until disposed: never open a second one while
    /// holding it.
    /// </summary>
    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        GatedConnection connection;
        try
        {
            connection = new GatedConnection(_connectionString, _writeGate);
        }
        catch
        {
            _writeGate.Release();
            throw;
        }
        return await OpenAsync(connection, cancellationToken);
    }

    /// <summary>A new open connection for an operation that only reads; it does not wait for writers (WAL).</summary>
    public Task<SqliteConnection> OpenReadConnectionAsync(CancellationToken cancellationToken) =>
        OpenAsync(new SqliteConnection(_connectionString), cancellationToken);

    private static async Task<SqliteConnection> OpenAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
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

    /// <summary>A connection that gives the write gate back when disposed (once, however often it is disposed).</summary>
    private sealed class GatedConnection(string connectionString, SemaphoreSlim gate) : SqliteConnection(connectionString)
    {
        private int _released;

        protected override void Dispose(bool disposing)
        {
            try
            {
                base.Dispose(disposing);
            }
            finally
            {
                if (Interlocked.Exchange(ref _released, 1) == 0)
                {
                    gate.Release();
                }
            }
        }
    }
}
