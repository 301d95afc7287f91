using Microsoft.Data.Sqlite;
using Pipeline.Local.Storage;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Storage;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Open_creates_pipeline_db_in_wal_mode_at_the_latest_schema_version()
    {
        var database = await _database.OpenAsync();

        await using var connection = await database.OpenReadConnectionAsync(CancellationToken.None);
        Assert.Equal(Path.Combine(_database.Folder, "pipeline.db"), database.FilePath);
        Assert.Equal("wal", await connection.ScalarAsync<string>("PRAGMA journal_mode;", CancellationToken.None));
        Assert.Equal(1L, await database.WriteAsync(scope => scope.Scalar<long>("PRAGMA synchronous;"), CancellationToken.None));
        Assert.Equal(SqliteSchema.LatestVersion, await connection.ScalarAsync<long>("SELECT MAX(version) FROM schema_version;", CancellationToken.None));
    }

    [Fact]
    public async Task Opening_an_existing_file_again_applies_nothing_twice()
    {
        await _database.OpenAsync();
        var reopened = await _database.OpenAsync();

        await using var connection = await reopened.OpenReadConnectionAsync(CancellationToken.None);
        Assert.Equal(SqliteSchema.LatestVersion, await connection.ScalarAsync<long>("SELECT COUNT(*) FROM schema_version;", CancellationToken.None));
    }

    [Fact]
    public async Task A_file_from_a_newer_build_is_refused_with_its_version()
    {
        var database = await _database.OpenAsync();
        await database.WriteAsync(scope => scope.Execute("INSERT INTO schema_version (version) VALUES (999);"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _database.OpenAsync());

        Assert.Contains("schema version 999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Learner_queries_use_an_index()
    {
        var database = await _database.OpenAsync();
        await using var connection = await database.OpenReadConnectionAsync(CancellationToken.None);

        foreach (var table in new[] { "events", "credentials", "earned" })
        {
            var plan = await connection.QueryAsync(
                $"EXPLAIN QUERY PLAN SELECT * FROM {table} WHERE learner_id = 'x';",
                (SqliteDataReader reader) => reader.GetString(3),
                CancellationToken.None);
            Assert.Contains(plan, step => step.Contains("USING INDEX", StringComparison.Ordinal) || step.Contains("USING PRIMARY KEY", StringComparison.Ordinal));
        }
    }
}
