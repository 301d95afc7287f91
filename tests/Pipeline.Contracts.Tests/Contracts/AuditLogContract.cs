using Pipeline.Contracts.Tests.TestData;
using Pipeline.Core.Storage;

namespace Pipeline.Contracts.Tests.Contracts;

/// <summary>What every <see cref="IAuditLog"/> adapter must do.</summary>
public abstract class AuditLogContract
{
    protected abstract Task<IAuditLog> CreateSutAsync();

    private static AuditEntry Entry(string entryId, string credentialId, string action) => new()
    {
        EntryId = entryId,
        CredentialId = credentialId,
        Action = action,
        Actor = "pipeline",
        At = Records.Time,
    };

    [Fact]
    public async Task Append_same_entry_id_twice_records_it_once()
    {
        var sut = await CreateSutAsync();
        var entry = Entry("issued:cred-1", "cred-1", "issued");

        await sut.AppendAsync(entry, CancellationToken.None);
        await sut.AppendAsync(entry with { Actor = "someone else" }, CancellationToken.None);

        Assert.Equal([entry], await sut.GetByCredentialAsync("cred-1", CancellationToken.None));
    }

    [Fact]
    public async Task GetByCredential_returns_only_that_credentials_entries()
    {
        var sut = await CreateSutAsync();
        var issued = Entry("issued:cred-1", "cred-1", "issued");
        var revoked = Entry("revoked:cred-1", "cred-1", "revoked") with { Actor = "admin@example.edu", Reason = "issued in error" };
        await sut.AppendAsync(issued, CancellationToken.None);
        await sut.AppendAsync(Entry("issued:cred-2", "cred-2", "issued"), CancellationToken.None);
        await sut.AppendAsync(revoked, CancellationToken.None);

        var entries = await sut.GetByCredentialAsync("cred-1", CancellationToken.None);

        Assert.Equal([issued, revoked], entries.OrderBy(e => e.EntryId, StringComparer.Ordinal));
    }
}
