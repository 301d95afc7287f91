using Pipeline.Contracts.Tests.Contracts;
using Pipeline.Contracts.Tests.TestData;
using Pipeline.Core.Storage;
using Pipeline.Local.Storage;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Storage;

public sealed class SqliteEventLedgerTests : EventLedgerContract, IDisposable
{
    private readonly TestDatabase _database = new();

    protected override async Task<IEventLedger> CreateSutAsync() => new SqliteEventLedger(await _database.OpenAsync());

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Events_survive_reopening_the_database_with_score_and_offset_intact()
    {
        await new SqliteEventLedger(await _database.OpenAsync()).TryAddAsync(Records.Completion(), CancellationToken.None);

        var reopened = new SqliteEventLedger(await _database.OpenAsync());

        var stored = Assert.Single(await reopened.GetByLearnerAsync("S1001", CancellationToken.None));
        Assert.Equal(Records.Time.Offset, stored.CompletedAt.Offset);
        Assert.Equal("87.50", stored.Score!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Records.Completion().Id, stored.Id);
    }
}

public sealed class SqliteProgressLedgerTests : ProgressLedgerContract, IDisposable
{
    private readonly TestDatabase _database = new();

    protected override async Task<IProgressLedger> CreateSutAsync() => new SqliteProgressLedger(await _database.OpenAsync());

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteCredentialLedgerTests : CredentialLedgerContract, IDisposable
{
    private readonly TestDatabase _database = new();

    protected override async Task<ICredentialLedger> CreateSutAsync() => new SqliteCredentialLedger(await _database.OpenAsync());

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteClaimLedgerTests : ClaimLedgerContract, IDisposable
{
    private readonly TestDatabase _database = new();

    protected override async Task<IClaimLedger> CreateSutAsync() => new SqliteClaimLedger(await _database.OpenAsync());

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteAuditLogTests : AuditLogContract, IDisposable
{
    private readonly TestDatabase _database = new();

    protected override async Task<IAuditLog> CreateSutAsync() => new SqliteAuditLog(await _database.OpenAsync());

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteEventPublisherTests : EventPublisherContract, IDisposable
{
    private readonly TestDatabase _database = new();
    private SqliteEventPublisher? _sut;

    protected override async Task<IEventPublisher> CreateSutAsync() => _sut = new SqliteEventPublisher(await _database.OpenAsync());

    protected override async Task<IReadOnlyList<string>> ReadPublishedAsync() =>
        (await _sut!.ReadAllAsync(CancellationToken.None)).Select(e => e.Body).ToList();

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteStatusListStoreTests : StatusListStoreContract, IDisposable
{
    private readonly TestDatabase _database = new();

    protected override async Task<Pipeline.Core.Status.IStatusListStore> CreateSutAsync() => new SqliteStatusListStore(await _database.OpenAsync());

    public void Dispose() => _database.Dispose();
}

/// <summary>The Core tests' in-memory store (compiled in here) keeps the same contract, so Core tests over it are meaningful.</summary>
public sealed class InMemoryStatusListStoreTests : StatusListStoreContract
{
    protected override Task<Pipeline.Core.Status.IStatusListStore> CreateSutAsync() =>
        Task.FromResult<Pipeline.Core.Status.IStatusListStore>(new Pipeline.Core.Tests.TestData.InMemoryStatusListStore());
}
