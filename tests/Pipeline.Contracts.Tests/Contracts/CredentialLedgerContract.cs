using Pipeline.Contracts.Tests.TestData;
using Pipeline.Core.Storage;

namespace Pipeline.Contracts.Tests.Contracts;

/// <summary>What every <see cref="ICredentialLedger"/> adapter must do.</summary>
public abstract class CredentialLedgerContract
{
    protected abstract Task<ICredentialLedger> CreateSutAsync();

    [Fact]
    public async Task TryAdd_new_credential_returns_it_as_added()
    {
        var sut = await CreateSutAsync();
        var record = Records.Credential();

        var (stored, added) = await sut.TryAddAsync(record, CancellationToken.None);

        Assert.True(added);
        Assert.Equal(record, stored);
        Assert.Equal(record, await sut.GetAsync(record.CredentialId, CancellationToken.None));
    }

    [Fact]
    public async Task TryAdd_existing_id_returns_the_first_record_not_added()
    {
        var sut = await CreateSutAsync();
        var first = Records.Credential();
        await sut.TryAddAsync(first, CancellationToken.None);

        var (stored, added) = await sut.TryAddAsync(first with { RecipientSalt = "other", StatusListIndex = 7 }, CancellationToken.None);

        Assert.False(added);
        Assert.Equal(first, stored);
    }

    [Fact]
    public async Task Get_unknown_returns_null()
    {
        var sut = await CreateSutAsync();

        Assert.Null(await sut.GetAsync("nothing", CancellationToken.None));
    }

    [Fact]
    public async Task UpdateState_revoked_records_reason_and_time()
    {
        var sut = await CreateSutAsync();
        await sut.TryAddAsync(Records.Credential(), CancellationToken.None);
        var at = Records.Time.AddDays(3);

        await sut.UpdateStateAsync("cred-1", CredentialState.Revoked, "issued in error", at, CancellationToken.None);

        var stored = await sut.GetAsync("cred-1", CancellationToken.None);
        Assert.Equal(CredentialState.Revoked, stored!.State);
        Assert.Equal("issued in error", stored.RevocationReason);
        Assert.Equal(at, stored.RevokedAt);
    }

    [Fact]
    public async Task UpdateState_issued_keeps_times_and_clears_a_lifted_suspension()
    {
        var sut = await CreateSutAsync();
        var record = Records.Credential();
        await sut.TryAddAsync(record, CancellationToken.None);
        await sut.UpdateStateAsync("cred-1", CredentialState.Suspended, "under review", Records.Time.AddDays(1), CancellationToken.None);

        await sut.UpdateStateAsync("cred-1", CredentialState.Issued, null, Records.Time.AddDays(2), CancellationToken.None);

        Assert.Equal(record with { State = CredentialState.Issued }, await sut.GetAsync("cred-1", CancellationToken.None));
    }

    [Fact]
    public async Task UpdateState_unknown_credential_throws()
    {
        var sut = await CreateSutAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            sut.UpdateStateAsync("nothing", CredentialState.Issued, null, Records.Time, CancellationToken.None));
    }

    [Fact]
    public async Task GetByLearner_returns_only_that_learners_credentials()
    {
        var sut = await CreateSutAsync();
        await sut.TryAddAsync(Records.Credential("cred-1"), CancellationToken.None);
        await sut.TryAddAsync(Records.Credential("cred-2"), CancellationToken.None);
        await sut.TryAddAsync(Records.Credential("cred-3", learnerId: "S2002"), CancellationToken.None);

        var credentials = await sut.GetByLearnerAsync("S1001", CancellationToken.None);

        Assert.Equal(["cred-1", "cred-2"], credentials.Select(c => c.CredentialId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Concurrent_adds_of_one_id_admit_exactly_one_and_all_see_it()
    {
        var sut = await CreateSutAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => sut.TryAddAsync(Records.Credential() with { RecipientSalt = $"salt-{i}" }, CancellationToken.None))));

        Assert.Equal(1, results.Count(r => r.Added));
        var winner = results.Single(r => r.Added).Record;
        Assert.All(results, r => Assert.Equal(winner, r.Record));
    }
}
