using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Pipeline.Local.Storage;

/// <summary>
/// The embedded host's one SQLite file (<c>pipeline.db</c> in the data folder): ledgers, the integration-event
/// outbox and the durable queues. Writes go through <see cref="WriteAsync{T}"/>: one writer thread per process with
/// group commit (<see cref="SqliteWriter"/>), so the host's concurrent handlers share transactions instead of taking
/// turns at SQLite's write lock, and an operation that reads then writes runs inside one transaction, where no other
/// writer can change what it read. Reads use <see cref="OpenReadConnectionAsync"/>: pooled connections that see the
/// last commit and never block the writer nor each other (WAL). Another process on the same folder (a second CLI)
/// meets SQLite's lock and waits on the busy timeout. Durability: WAL with <c>synchronous=NORMAL</c> — a commit
/// survives a process crash; a power loss can lose the last commits, never corrupt the file.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    public const string FileName = "pipeline.db";

    /// <summary>How long a connection waits for another process's lock before failing with SQLITE_BUSY.</summary>
    private const int BusyTimeoutSeconds = 30;

    /// <summary>At most this many idle reader connections are kept; more concurrent reads open and close their own.</summary>
    private const int MaxIdleReaders = 16;

    private readonly string _connectionString;
    private readonly SqliteWriter _writer;
    private readonly ConcurrentBag<SqliteScope> _idleReaders = [];
    private int _closed;

    private SqliteDatabase(string path)
    {
        FilePath = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString();
        _writer = new SqliteWriter(_connectionString);
    }

    public string FilePath { get; }

    /// <summary>Opens (creating when absent) <c>{dataFolder}/pipeline.db</c>, switches it to WAL and brings its schema up to date.</summary>
    public static async Task<SqliteDatabase> OpenAsync(string dataFolder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataFolder);
        Directory.CreateDirectory(dataFolder);
        var database = new SqliteDatabase(Path.Combine(Path.GetFullPath(dataFolder), FileName));
        await using (var connection = await database.OpenPooledConnectionAsync(cancellationToken))
        {
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await SqliteSchema.MigrateAsync(connection, cancellationToken);
        }
        return database;
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on the writer thread inside the next group-committed transaction and completes
    /// after that transaction committed (see <see cref="SqliteWriter"/>). The operation is synchronous SQLite work.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteScope, T> operation, CancellationToken cancellationToken) =>
        _writer.WriteAsync(operation, cancellationToken);

    /// <summary>
    /// Runs <paramref name="read"/> on a kept reader connection (its statements prepared once), on the caller's thread.
    /// It sees the last commit and does not wait for the writer (WAL); statements run outside a transaction, as with
    /// <see cref="OpenReadConnectionAsync"/>.
    /// </summary>
    public Task<T> ReadAsync<T>(Func<SqliteScope, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) == 1, this);
        var scope = _idleReaders.TryTake(out var idle) ? idle : SqliteScope.Open(_connectionString);
        T result;
        try
        {
            result = read(scope);
        }
        catch
        {
            scope.Dispose();
            throw;
        }
        if (Volatile.Read(ref _closed) == 1 || _idleReaders.Count >= MaxIdleReaders)
        {
            scope.Dispose();
        }
        else
        {
            _idleReaders.Add(scope);
            if (Volatile.Read(ref _closed) == 1 && _idleReaders.TryTake(out var late))
            {
                late.Dispose();
            }
        }
        return Task.FromResult(result);
    }

    /// <summary>A new open connection for reading (it sees the last commit and does not wait for the writer: WAL).</summary>
    public Task<SqliteConnection> OpenReadConnectionAsync(CancellationToken cancellationToken) => OpenPooledConnectionAsync(cancellationToken);

    private async Task<SqliteConnection> OpenPooledConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Finishes the queued writes, closes the writer and the pooled connections, so the file can be moved or deleted.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }
        _writer.Dispose();
        while (_idleReaders.TryTake(out var reader))
        {
            reader.Dispose();
        }
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
