using Pipeline.Core.Status;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Status;

public sealed class StatusListPublisherTests
{
    [Fact]
    public async Task Revoking_100_credentials_in_one_list_costs_one_signature_on_the_next_publish()
    {
        using var scenario = new StatusScenario();
        var issued = await scenario.IssueAsync(100);
        Assert.All(issued, r => Assert.Equal("1", r.StatusListId));
        foreach (var record in issued)
        {
            await scenario.Handler.RevokeAsync(record.CredentialId, "issued in error", "admin@example.edu", CancellationToken.None);
        }
        var before = scenario.Signer.Signatures;

        var published = await scenario.Publisher.PublishPendingAsync(CancellationToken.None);

        Assert.Equal(1, published);
        Assert.Equal(before + 1, scenario.Signer.Signatures);
        Assert.Equal(issued.Select(r => r.StatusListIndex).Order(), await scenario.PublishedIndexesAsync("1"));
    }

    [Fact]
    public async Task PublishPending_with_nothing_changed_signs_nothing()
    {
        using var scenario = new StatusScenario();
        await scenario.IssueAsync(3);
        var before = scenario.Signer.Signatures;

        Assert.Equal(0, await scenario.Publisher.PublishPendingAsync(CancellationToken.None));
        Assert.Equal(before, scenario.Signer.Signatures);
    }

    [Fact]
    public async Task A_change_after_a_publish_is_published_by_the_next_run()
    {
        using var scenario = new StatusScenario();
        var issued = await scenario.IssueAsync(2);
        await scenario.Handler.RevokeAsync("cred-0", "issued in error", "admin", CancellationToken.None);
        await scenario.Publisher.PublishPendingAsync(CancellationToken.None);
        await scenario.Handler.RevokeAsync("cred-1", "issued in error", "admin", CancellationToken.None);

        Assert.Equal(1, await scenario.Publisher.PublishPendingAsync(CancellationToken.None));

        Assert.Equal(issued.Select(r => r.StatusListIndex).Order(), await scenario.PublishedIndexesAsync("1"));
        var list = await scenario.Store.GetListAsync(scenario.Issuer.Id, "1", CancellationToken.None);
        Assert.Equal((2L, (long?)2L), (list!.Version, list.PublishedVersion));
    }

    [Fact]
    public async Task EnsurePublished_publishes_a_new_list_once_as_an_empty_verifiable_list()
    {
        using var scenario = new StatusScenario();

        await scenario.IssueAsync(50);

        Assert.Equal(1, scenario.Signer.Signatures);
        Assert.Empty(await scenario.PublishedIndexesAsync("1"));
        var list = await scenario.Store.GetListAsync(scenario.Issuer.Id, "1", CancellationToken.None);
        Assert.Equal(0L, list!.PublishedVersion);
    }

    [Fact]
    public async Task EnsurePublished_on_another_worker_for_a_published_list_signs_nothing()
    {
        using var scenario = new StatusScenario();
        await scenario.IssueAsync(1);
        var otherWorker = scenario.CreatePublisher();

        await otherWorker.EnsurePublishedAsync(scenario.Issuer, "1", CancellationToken.None);

        Assert.Equal(1, scenario.Signer.Signatures);
    }

    [Fact]
    public async Task EnsurePublished_of_a_list_that_does_not_exist_is_a_fault()
    {
        using var scenario = new StatusScenario();

        await Assert.ThrowsAsync<InvalidOperationException>(() => scenario.Publisher.EnsurePublishedAsync(scenario.Issuer, "1", CancellationToken.None));
    }

    [Fact]
    public async Task The_list_credential_has_the_status_url_as_id_a_ttl_and_by_default_no_expiry()
    {
        using var scenario = new StatusScenario();
        await scenario.IssueAsync(1);

        var payload = StatusScenario.Payload(await scenario.VerifiedListJwtAsync("1"));

        Assert.Equal("https://badges.example.edu/status/engineering/1", payload["id"]!.GetValue<string>());
        Assert.Equal("https://badges.example.edu/status/engineering/1", payload["jti"]!.GetValue<string>());
        Assert.Equal("2026-03-02T09:00:00Z", payload["validFrom"]!.GetValue<string>());
        Assert.Equal("revocation", payload["credentialSubject"]!["statusPurpose"]!.GetValue<string>());
        Assert.Equal(300_000L, payload["credentialSubject"]!["ttl"]!.GetValue<long>());
        Assert.False(payload.ContainsKey("validUntil"));
        Assert.False(payload.ContainsKey("exp"));
    }

    [Fact]
    public async Task A_configured_validity_sets_validUntil_and_exp()
    {
        using var scenario = new StatusScenario(options: new StatusListOptions { Validity = TimeSpan.FromDays(30), Ttl = TimeSpan.FromMinutes(1) });
        await scenario.IssueAsync(1);

        var payload = StatusScenario.Payload(await scenario.VerifiedListJwtAsync("1"));

        Assert.Equal("2026-04-01T09:00:00Z", payload["validUntil"]!.GetValue<string>());
        Assert.Equal(StatusScenario.Start.AddDays(30).ToUnixTimeSeconds(), payload["exp"]!.GetValue<long>());
        Assert.Equal(60_000L, payload["credentialSubject"]!["ttl"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_publisher_that_loses_the_race_to_a_newer_publication_publishes_the_current_bits_again()
    {
        var racing = new RacingStore(new InMemoryStatusListStore());
        using var scenario = new StatusScenario(racing);
        var issued = await scenario.IssueAsync(2);
        await scenario.Handler.RevokeAsync("cred-0", "issued in error", "admin", CancellationToken.None);
        racing.BeforeNextMark = async store =>
        {
            var list = (await store.GetListAsync("engineering", "1", CancellationToken.None))!;
            var bits = list.ToList();
            bits.Set(issued[1].StatusListIndex);
            Assert.True(await store.TrySetBitsAsync("engineering", "1", bits.ToBytes(), list.Version, CancellationToken.None));
            Assert.True(await store.TryMarkPublishedAsync("engineering", "1", list.PublishedVersion, list.Version + 1, CancellationToken.None));
        };
        var before = scenario.Signer.Signatures;

        Assert.Equal(1, await scenario.Publisher.PublishPendingAsync(CancellationToken.None));

        Assert.Equal(before + 2, scenario.Signer.Signatures);
        Assert.Equal(issued.Select(r => r.StatusListIndex).Order(), await scenario.PublishedIndexesAsync("1"));
    }

    [Fact]
    public async Task Lists_of_an_issuer_missing_from_the_catalog_are_left_unpublished_and_others_published()
    {
        using var scenario = new StatusScenario();
        await scenario.IssueAsync(1);
        await scenario.Store.TryAddAsync(new StatusListState { IssuerId = "gone", Number = 1, Length = BitstringStatusList.MinimumLength, PermutationKey = new byte[32], NextCounter = 0 }, CancellationToken.None);
        await scenario.Handler.RevokeAsync("cred-0", "issued in error", "admin", CancellationToken.None);

        Assert.Equal(1, await scenario.Publisher.PublishPendingAsync(CancellationToken.None));

        Assert.False(scenario.Blobs.Exists(Containers.Public, BlobNames.StatusList("gone", "1")));
        Assert.Single(await scenario.Store.GetUnpublishedAsync(CancellationToken.None));
    }

    /// <summary>Runs <see cref="BeforeNextMark"/> (another publisher's work) just before the next mark reaches the store.</summary>
    private sealed class RacingStore(IStatusListStore inner) : IStatusListStore
    {
        public Func<IStatusListStore, Task>? BeforeNextMark { get; set; }

        public Task<StatusListState?> GetCurrentAsync(string issuerId, CancellationToken cancellationToken) => inner.GetCurrentAsync(issuerId, cancellationToken);

        public Task<bool> TryAddAsync(StatusListState list, CancellationToken cancellationToken) => inner.TryAddAsync(list, cancellationToken);

        public Task<bool> TryClaimBlockAsync(string issuerId, int number, long expectedNext, long newNext, CancellationToken cancellationToken) =>
            inner.TryClaimBlockAsync(issuerId, number, expectedNext, newNext, cancellationToken);

        public Task<StatusListBits?> GetListAsync(string issuerId, string listId, CancellationToken cancellationToken) => inner.GetListAsync(issuerId, listId, cancellationToken);

        public Task<bool> TrySetBitsAsync(string issuerId, string listId, ReadOnlyMemory<byte> bits, long expectedVersion, CancellationToken cancellationToken) =>
            inner.TrySetBitsAsync(issuerId, listId, bits, expectedVersion, cancellationToken);

        public async Task<bool> TryMarkPublishedAsync(string issuerId, string listId, long? expectedPublishedVersion, long version, CancellationToken cancellationToken)
        {
            if (BeforeNextMark is { } race)
            {
                BeforeNextMark = null;
                await race(inner);
            }
            return await inner.TryMarkPublishedAsync(issuerId, listId, expectedPublishedVersion, version, cancellationToken);
        }

        public Task<IReadOnlyList<StatusListBits>> GetUnpublishedAsync(CancellationToken cancellationToken) => inner.GetUnpublishedAsync(cancellationToken);
    }
}
