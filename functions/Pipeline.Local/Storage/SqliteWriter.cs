using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Pipeline.Local.Storage;

/// <summary>
/// The process's one writer of <c>pipeline.db</c>, with group commit. Every write operation of the adapters is queued
/// here and run on one dedicated thread over one long-lived connection whose prepared statements are kept: the
/// operations queued while a transaction runs are run together in the next one (<c>BEGIN IMMEDIATE</c> … <c>COMMIT</c>),
/// each inside its own savepoint, so an operation that throws is rolled back alone and the others still commit.
/// <para>
/// An operation's task completes only after the transaction holding it committed (or failed): a caller that saw
/// success knows its write is as durable as before (WAL, <c>synchronous=NORMAL</c>: it survives a process crash).
/// A failed commit fails every operation of the batch with the commit's error, and none of them took effect. An
/// operation whose token is cancelled before it starts is not run. Operations must be synchronous SQLite work (they
/// run on the writer thread): no awaiting, no I/O other than the connection they are given.
/// </para>
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    /// <summary>At most this many operations share a transaction, so one batch never holds the lock for long.</summary>
    public const int MaxOperationsPerTransaction = 256;

    private readonly string _connectionString;
    private readonly BlockingCollection<WriteRequest> _requests = [];
    private readonly Lazy<Thread> _thread;
    private SqliteScope? _scope;

    public SqliteWriter(string connectionString)
    {
        _connectionString = connectionString;
        _thread = new Lazy<Thread>(() =>
        {
            var thread = new Thread(Run) { IsBackground = true, Name = "sqlite-writer" };
            thread.Start();
            return thread;
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Runs <paramref name="operation"/> in the next group-committed transaction; completes after its commit.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteScope, T> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        cancellationToken.ThrowIfCancellationRequested();
        var request = new WriteRequest<T>(operation, cancellationToken);
        lock (_requests)
        {
            ObjectDisposedException.ThrowIf(_requests.IsAddingCompleted, this);
            _ = _thread.Value;
            _requests.Add(request, CancellationToken.None);
        }
        return request.Task;
    }

    /// <summary>Runs the writes already queued, then stops the writer thread and closes its connection.</summary>
    public void Dispose()
    {
        lock (_requests)
        {
            if (_requests.IsAddingCompleted)
            {
                return;
            }
            _requests.CompleteAdding();
        }
        if (_thread.IsValueCreated)
        {
            _thread.Value.Join();
        }
    }

    private void Run()
    {
        var batch = new List<WriteRequest>(MaxOperationsPerTransaction);
        while (_requests.TryTake(out var first, Timeout.Infinite))
        {
            batch.Add(first);
            while (batch.Count < MaxOperationsPerTransaction && _requests.TryTake(out var next))
            {
                batch.Add(next);
            }
            RunBatch(batch);
            batch.Clear();
        }
        _scope?.Dispose();
        _scope = null;
    }

    private void RunBatch(List<WriteRequest> batch)
    {
        try
        {
            _scope ??= SqliteScope.Open(_connectionString, "PRAGMA synchronous=NORMAL;");
            _scope.Execute("BEGIN IMMEDIATE;");
        }
        catch (SqliteException exception)
        {
            Reset();
            batch.ForEach(r => r.Fail(exception));
            return;
        }

        var scope = _scope;
        try
        {
            foreach (var request in batch)
            {
                if (request.CancellationToken.IsCancellationRequested)
                {
                    request.Cancel();
                    continue;
                }
                scope.Execute("SAVEPOINT operation;");
                if (!request.Run(scope))
                {
                    scope.Execute("ROLLBACK TO operation;");
                }
                scope.Execute("RELEASE operation;");
            }
            scope.Execute("COMMIT;");
        }
        catch (SqliteException exception)
        {
            Reset();
            batch.ForEach(r => r.Fail(exception));
            return;
        }
        batch.ForEach(r => r.Complete());
    }

    /// <summary>Drops the connection after a failed transaction (closing it rolls back whatever was open).</summary>
    private void Reset()
    {
        _scope?.Dispose();
        _scope = null;
    }

    private abstract class WriteRequest(CancellationToken cancellationToken)
    {
        public CancellationToken CancellationToken { get; } = cancellationToken;

        /// <summary>Runs the operation; false when it threw (its exception is kept for <see cref="Complete"/>).</summary>
        public abstract bool Run(SqliteScope scope);

        public abstract void Complete();

        public abstract void Fail(Exception exception);

        public abstract void Cancel();
    }

    private sealed class WriteRequest<T>(Func<SqliteScope, T> operation, CancellationToken cancellationToken) : WriteRequest(cancellationToken)
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;
        private bool _ran;

        public Task<T> Task => _completion.Task;

        [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types",
            Justification = "The operation's own exception (a fault or a broken invariant) goes to its caller; the other operations of the batch still commit.")]
        public override bool Run(SqliteScope scope)
        {
            _ran = true;
            try
            {
                _result = operation(scope);
                return true;
            }
            catch (Exception exception) when (!IsConnectionFault(exception))
            {
                _error = exception;
                return false;
            }
        }

        /// <summary>
        /// SQLITE_IOERR (10), SQLITE_CORRUPT (11), SQLITE_FULL (13): the connection or the file failed, not the operation;
        /// they fail the whole batch (the transaction is rolled back and the connection reopened).
        /// </summary>
        private static bool IsConnectionFault(Exception exception) =>
            exception is SqliteException { SqliteErrorCode: 10 or 11 or 13 };

        public override void Complete()
        {
            if (!_ran)
            {
                return;
            }
            if (_error is not null)
            {
                _completion.TrySetException(_error);
            }
            else
            {
                _completion.TrySetResult(_result!);
            }
        }

        public override void Fail(Exception exception) => _completion.TrySetException(exception);

        public override void Cancel() => _completion.TrySetCanceled(CancellationToken);
    }
}
