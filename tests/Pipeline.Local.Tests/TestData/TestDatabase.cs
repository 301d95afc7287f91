using Pipeline.Local.Storage;

namespace Pipeline.Local.Tests.TestData;

/// <summary>A real <c>pipeline.db</c> in a temporary folder; reopened on demand to prove durability.</summary>
internal sealed class TestDatabase : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<SqliteDatabase> _opened = [];

    public string Folder => _folder.Path;

    public async Task<SqliteDatabase> OpenAsync()
    {
        var database = await SqliteDatabase.OpenAsync(_folder.Path, CancellationToken.None);
        _opened.Add(database);
        return database;
    }

    public void Dispose()
    {
        foreach (var database in _opened)
        {
            database.Dispose();
        }
        _folder.Dispose();
    }
}
