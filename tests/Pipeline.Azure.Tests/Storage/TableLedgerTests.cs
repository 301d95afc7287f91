using Pipeline.Azure.Storage;
using Pipeline.Azure.Tests.TestData;
using Pipeline.Contracts.Tests.Contracts;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;

namespace Pipeline.Azure.Tests.Storage;

internal static class Tables
{
    public static async Task<PipelineTables> CreateAsync() =>
        await PipelineTables.CreateAsync((await Azurite.GetAsync()).Tables(), UniqueNames.TablePrefix(), CancellationToken.None);
}

public sealed class TableEventLedgerTests : EventLedgerContract
{
    protected override async Task<IEventLedger> CreateSutAsync() => new TableEventLedger((await Tables.CreateAsync()).Events);
}

public sealed class TableProgressLedgerTests : ProgressLedgerContract
{
    protected override async Task<IProgressLedger> CreateSutAsync() => new TableProgressLedger((await Tables.CreateAsync()).Progress);
}

public sealed class TableCredentialLedgerTests : CredentialLedgerContract
{
    protected override async Task<ICredentialLedger> CreateSutAsync()
    {
        var tables = await Tables.CreateAsync();
        return new TableCredentialLedger(tables.Credentials, tables.CredentialsByLearner);
    }
}

public sealed class TableClaimLedgerTests : ClaimLedgerContract
{
    protected override async Task<IClaimLedger> CreateSutAsync()
    {
        var tables = await Tables.CreateAsync();
        return new TableClaimLedger(tables.Claims, tables.ClaimTokens);
    }
}

public sealed class TableAuditLogTests : AuditLogContract
{
    protected override async Task<IAuditLog> CreateSutAsync() => new TableAuditLog((await Tables.CreateAsync()).Audit);
}

public sealed class TableStatusListStoreTests : StatusListStoreContract
{
    protected override async Task<IStatusListStore> CreateSutAsync() => new TableStatusListStore((await Tables.CreateAsync()).StatusLists);
}
