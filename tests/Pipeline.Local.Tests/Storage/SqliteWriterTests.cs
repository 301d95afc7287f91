using Pipeline.Local.Storage;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Storage;

public sealed class SqliteWriterTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static int Insert(SqliteScope scope, string id) =>
        scope.Execute("INSERT INTO audit (entry_id, credential_id, action, actor, at) VALUES ($id, 'c', 'a', 'x', 't');", ("$id", id));

    private static async Task<IReadOnlyList<string>> EntriesAsync(SqliteDatabase database)
    {
        await using var connection = await database.OpenReadConnectionAsync(CancellationToken.None);
        return await connection.QueryAsync("SELECT entry_id FROM audit ORDER BY entry_id;", r => r.GetString(0), CancellationToken.None);
    }

    /// <summary>
    /// The first operation holds the writer until the next two are queued, so those two share one transaction: the one
    /// that throws after writing is rolled back alone, the other commits.
    /// </summary>
    [Fact]
    public async Task An_operation_that_throws_is_rolled_back_alone_and_the_rest_of_its_transaction_commits()
    {
        var database = await _database.OpenAsync();
        using var queued = new ManualResetEventSlim();
        var holder = database.WriteAsync(scope => queued.Wait(TimeSpan.FromSeconds(30)) ? Insert(scope, "holder") : 0, CancellationToken.None);
        var failing = database.WriteAsync<int>(scope =>
        {
            Insert(scope, "failing");
            throw new InvalidOperationException("broken invariant");
        }, CancellationToken.None);
        var succeeding = database.WriteAsync(scope => Insert(scope, "succeeding"), CancellationToken.None);
        queued.Set();

        Assert.Equal(1, await holder);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("broken invariant", error.Message);
        Assert.Equal(1, await succeeding);
        Assert.Equal(["holder", "succeeding"], await EntriesAsync(database));
    }

    [Fact]
    public async Task Concurrent_writes_all_commit_and_are_seen_by_a_new_reader_when_their_tasks_complete()
    {
        var database = await _database.OpenAsync();

        var writes = Enumerable.Range(0, 500).Select(i => Task.Run(() => database.WriteAsync(scope => Insert(scope, $"e{i:000}"), CancellationToken.None)));
        var results = await Task.WhenAll(writes);

        Assert.All(results, changes => Assert.Equal(1, changes));
        Assert.Equal(500, (await EntriesAsync(database)).Count);
    }

    [Fact]
    public async Task A_constraint_violation_fails_only_its_own_operation()
    {
        var database = await _database.OpenAsync();
        await database.WriteAsync(scope => Insert(scope, "same"), CancellationToken.None);

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => database.WriteAsync(scope => Insert(scope, "same"), CancellationToken.None));
        Assert.Equal(1, await database.WriteAsync(scope => Insert(scope, "other"), CancellationToken.None));

        Assert.Equal(["other", "same"], await EntriesAsync(database));
    }

    [Fact]
    public async Task An_operation_cancelled_while_queued_is_not_run()
    {
        var database = await _database.OpenAsync();
        using var queued = new ManualResetEventSlim();
        using var cancellation = new CancellationTokenSource();
        var holder = database.WriteAsync(scope => queued.Wait(TimeSpan.FromSeconds(30)), CancellationToken.None);
        var cancelled = database.WriteAsync(scope => Insert(scope, "cancelled"), cancellation.Token);
        await cancellation.CancelAsync();
        queued.Set();

        Assert.True(await holder);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Empty(await EntriesAsync(database));
    }

    [Fact]
    public async Task Dispose_finishes_the_queued_writes_and_refuses_new_ones()
    {
        var database = await SqliteDatabase.OpenAsync(_database.Folder, CancellationToken.None);
        var queued = Enumerable.Range(0, 50).Select(i => database.WriteAsync(scope => Insert(scope, $"q{i:00}"), CancellationToken.None)).ToList();

        database.Dispose();

        Assert.All(await Task.WhenAll(queued), changes => Assert.Equal(1, changes));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => database.WriteAsync(scope => Insert(scope, "late"), CancellationToken.None));
        Assert.Equal(50, (await EntriesAsync(await _database.OpenAsync())).Count);
    }
}
