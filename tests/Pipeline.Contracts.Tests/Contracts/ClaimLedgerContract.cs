using Pipeline.Contracts.Tests.TestData;
using Pipeline.Core.Storage;

namespace Pipeline.Contracts.Tests.Contracts;

/// <summary>What every <see cref="IClaimLedger"/> adapter must do.</summary>
public abstract class ClaimLedgerContract
{
    protected abstract Task<IClaimLedger> CreateSutAsync();

    [Fact]
    public async Task PutPending_claim_is_found_by_credential_and_by_token_hash()
    {
        var sut = await CreateSutAsync();
        var claim = Records.Claim();

        await sut.PutPendingAsync(claim, CancellationToken.None);

        Assert.Equal(claim, await sut.GetByCredentialAsync("cred-1", CancellationToken.None));
        Assert.Equal(claim, await sut.GetByTokenHashAsync("hash-1", CancellationToken.None));
    }

    [Fact]
    public async Task PutPending_again_before_sending_replaces_the_token()
    {
        var sut = await CreateSutAsync();
        await sut.PutPendingAsync(Records.Claim(tokenHash: "hash-1"), CancellationToken.None);

        await sut.PutPendingAsync(Records.Claim(tokenHash: "hash-2"), CancellationToken.None);

        Assert.Null(await sut.GetByTokenHashAsync("hash-1", CancellationToken.None));
        Assert.Equal("hash-2", (await sut.GetByCredentialAsync("cred-1", CancellationToken.None))!.TokenHash);
    }

    [Fact]
    public async Task TryMarkSent_first_time_true_then_false()
    {
        var sut = await CreateSutAsync();
        await sut.PutPendingAsync(Records.Claim(), CancellationToken.None);
        var sentAt = Records.Time.AddMinutes(5);

        Assert.True(await sut.TryMarkSentAsync("cred-1", sentAt, CancellationToken.None));
        Assert.False(await sut.TryMarkSentAsync("cred-1", sentAt.AddMinutes(1), CancellationToken.None));

        Assert.Equal(sentAt, (await sut.GetByCredentialAsync("cred-1", CancellationToken.None))!.SentAt);
    }

    [Fact]
    public async Task PutPending_after_sending_leaves_the_sent_claim_unchanged()
    {
        var sut = await CreateSutAsync();
        await sut.PutPendingAsync(Records.Claim(tokenHash: "hash-1"), CancellationToken.None);
        await sut.TryMarkSentAsync("cred-1", Records.Time, CancellationToken.None);

        await sut.PutPendingAsync(Records.Claim(tokenHash: "hash-2"), CancellationToken.None);

        Assert.Equal(Records.Claim(tokenHash: "hash-1") with { SentAt = Records.Time }, await sut.GetByCredentialAsync("cred-1", CancellationToken.None));
    }

    [Fact]
    public async Task TryMarkSent_without_a_claim_throws()
    {
        var sut = await CreateSutAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.TryMarkSentAsync("nothing", Records.Time, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_marks_admit_exactly_one_sender()
    {
        var sut = await CreateSutAsync();
        await sut.PutPendingAsync(Records.Claim(), CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => sut.TryMarkSentAsync("cred-1", Records.Time.AddSeconds(i), CancellationToken.None))));

        Assert.Equal(1, results.Count(sent => sent));
    }

    [Fact]
    public async Task TryRenew_moves_the_expiry_of_a_sent_claim_and_keeps_its_token()
    {
        var sut = await CreateSutAsync();
        await sut.PutPendingAsync(Records.Claim(tokenHash: "hash-1"), CancellationToken.None);
        await sut.TryMarkSentAsync("cred-1", Records.Time, CancellationToken.None);
        var later = Records.Time.AddDays(200);

        Assert.True(await sut.TryRenewAsync("cred-1", later, CancellationToken.None));

        var renewed = await sut.GetByTokenHashAsync("hash-1", CancellationToken.None);
        Assert.Equal(Records.Claim(tokenHash: "hash-1") with { SentAt = Records.Time, ExpiresAt = later }, renewed);
    }

    [Fact]
    public async Task TryRenew_of_an_unsent_or_missing_claim_is_false_and_changes_nothing()
    {
        var sut = await CreateSutAsync();
        await sut.PutPendingAsync(Records.Claim(), CancellationToken.None);

        Assert.False(await sut.TryRenewAsync("cred-1", Records.Time.AddDays(200), CancellationToken.None));
        Assert.False(await sut.TryRenewAsync("cred-unknown", Records.Time.AddDays(200), CancellationToken.None));
        Assert.Equal(Records.Claim(), await sut.GetByCredentialAsync("cred-1", CancellationToken.None));
    }
}
