using Pipeline.Core.Status;

namespace Pipeline.Contracts.Tests.Contracts;

/// <summary>What every <see cref="IStatusListStore"/> adapter must do: insert-if-absent lists and compare-and-swap counters, bits and publication.</summary>
public abstract class StatusListStoreContract
{
    private const string Issuer = "umaine";
    private const int Length = BitstringStatusList.MinimumLength;

    protected abstract Task<IStatusListStore> CreateSutAsync();

    private static StatusListState List(int number = 1, string issuerId = Issuer, byte keyByte = 7) => new()
    {
        IssuerId = issuerId,
        Number = number,
        Length = Length,
        PermutationKey = Enumerable.Repeat(keyByte, 32).ToArray(),
        NextCounter = 0,
    };

    private static byte[] BitsWith(params int[] indexes)
    {
        var list = new BitstringStatusList(Length);
        foreach (var index in indexes)
        {
            list.Set(index);
        }
        return list.ToBytes();
    }

    private static async Task<IStatusListStore> WithListAsync(IStatusListStore sut)
    {
        Assert.True(await sut.TryAddAsync(List(), CancellationToken.None));
        return sut;
    }

    [Fact]
    public async Task TryAdd_new_list_starts_all_zero_at_version_0_never_published()
    {
        var sut = await WithListAsync(await CreateSutAsync());

        var bits = await sut.GetListAsync(Issuer, "1", CancellationToken.None);

        Assert.NotNull(bits);
        Assert.Equal(("umaine", "1", 0L, (long?)null), (bits.IssuerId, bits.ListId, bits.Version, bits.PublishedVersion));
        Assert.Equal(Length / 8, bits.Bits.Length);
        Assert.Empty(bits.ToList().SetIndexes());
        Assert.True(bits.NeedsPublishing);
    }

    [Fact]
    public async Task TryAdd_existing_number_is_refused_and_keeps_the_first_list()
    {
        var sut = await WithListAsync(await CreateSutAsync());

        Assert.False(await sut.TryAddAsync(List(keyByte: 9), CancellationToken.None));

        var current = await sut.GetCurrentAsync(Issuer, CancellationToken.None);
        Assert.Equal(List().PermutationKey.ToArray(), current!.PermutationKey.ToArray());
    }

    [Fact]
    public async Task GetCurrent_returns_the_highest_number_of_that_issuer_only()
    {
        var sut = await CreateSutAsync();
        Assert.Null(await sut.GetCurrentAsync(Issuer, CancellationToken.None));
        await sut.TryAddAsync(List(1), CancellationToken.None);
        await sut.TryAddAsync(List(2), CancellationToken.None);
        await sut.TryAddAsync(List(5, issuerId: "arizona"), CancellationToken.None);

        var current = await sut.GetCurrentAsync(Issuer, CancellationToken.None);

        Assert.Equal((Issuer, 2, Length, 0L), (current!.IssuerId, current.Number, current.Length, current.NextCounter));
    }

    [Fact]
    public async Task GetList_unknown_issuer_or_list_returns_null()
    {
        var sut = await WithListAsync(await CreateSutAsync());

        Assert.Null(await sut.GetListAsync("arizona", "1", CancellationToken.None));
        Assert.Null(await sut.GetListAsync(Issuer, "2", CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_block_claims_from_one_counter_admit_exactly_one()
    {
        var sut = await WithListAsync(await CreateSutAsync());

        var results = await Task.WhenAll(Enumerable.Range(1, 16).Select(i =>
            Task.Run(() => sut.TryClaimBlockAsync(Issuer, 1, 0, i * 10, CancellationToken.None))));

        Assert.Equal(1, results.Count(r => r));
        var winner = (Array.IndexOf(results, true) + 1) * 10;
        Assert.Equal(winner, (await sut.GetCurrentAsync(Issuer, CancellationToken.None))!.NextCounter);
    }

    [Fact]
    public async Task TrySetBits_at_the_expected_version_stores_them_and_increments_the_version()
    {
        var sut = await WithListAsync(await CreateSutAsync());

        Assert.True(await sut.TrySetBitsAsync(Issuer, "1", BitsWith(3, 131_071), 0, CancellationToken.None));

        var bits = await sut.GetListAsync(Issuer, "1", CancellationToken.None);
        Assert.Equal(1, bits!.Version);
        Assert.Equal([3, 131_071], bits.ToList().SetIndexes());
    }

    [Fact]
    public async Task TrySetBits_at_a_stale_version_is_refused_and_changes_nothing()
    {
        var sut = await WithListAsync(await CreateSutAsync());
        await sut.TrySetBitsAsync(Issuer, "1", BitsWith(3), 0, CancellationToken.None);

        Assert.False(await sut.TrySetBitsAsync(Issuer, "1", BitsWith(4), 0, CancellationToken.None));

        var bits = await sut.GetListAsync(Issuer, "1", CancellationToken.None);
        Assert.Equal(1, bits!.Version);
        Assert.Equal([3], bits.ToList().SetIndexes());
    }

    [Fact]
    public async Task TrySetBits_of_another_length_or_on_an_unknown_list_is_a_fault()
    {
        var sut = await WithListAsync(await CreateSutAsync());

        await Assert.ThrowsAsync<ArgumentException>(() => sut.TrySetBitsAsync(Issuer, "1", new byte[10], 0, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.TrySetBitsAsync(Issuer, "2", BitsWith(1), 0, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_setters_at_one_version_admit_exactly_one()
    {
        var sut = await WithListAsync(await CreateSutAsync());

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => sut.TrySetBitsAsync(Issuer, "1", BitsWith(i), 0, CancellationToken.None))));

        Assert.Equal(1, results.Count(r => r));
        var bits = await sut.GetListAsync(Issuer, "1", CancellationToken.None);
        Assert.Equal(1, bits!.Version);
        Assert.Equal([Array.IndexOf(results, true)], bits.ToList().SetIndexes());
    }

    [Fact]
    public async Task Concurrent_read_modify_write_loops_lose_no_bit()
    {
        var sut = await WithListAsync(await CreateSutAsync());

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            while (true)
            {
                var current = await sut.GetListAsync(Issuer, "1", CancellationToken.None);
                var list = current!.ToList();
                list.Set(i * 1000);
                if (await sut.TrySetBitsAsync(Issuer, "1", list.ToBytes(), current.Version, CancellationToken.None))
                {
                    return;
                }
            }
        })));

        var bits = await sut.GetListAsync(Issuer, "1", CancellationToken.None);
        Assert.Equal(16, bits!.Version);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => i * 1000), bits.ToList().SetIndexes());
    }

    [Fact]
    public async Task TryMarkPublished_moves_the_published_version_from_the_expected_one()
    {
        var sut = await WithListAsync(await CreateSutAsync());
        await sut.TrySetBitsAsync(Issuer, "1", BitsWith(1), 0, CancellationToken.None);

        Assert.True(await sut.TryMarkPublishedAsync(Issuer, "1", null, 0, CancellationToken.None));
        Assert.False(await sut.TryMarkPublishedAsync(Issuer, "1", null, 1, CancellationToken.None));
        Assert.True(await sut.TryMarkPublishedAsync(Issuer, "1", 0, 1, CancellationToken.None));

        var bits = await sut.GetListAsync(Issuer, "1", CancellationToken.None);
        Assert.Equal((1L, (long?)1L, false), (bits!.Version, bits.PublishedVersion, bits.NeedsPublishing));
    }

    [Fact]
    public async Task TryMarkPublished_backwards_beyond_the_bits_or_on_an_unknown_list_is_a_fault()
    {
        var sut = await WithListAsync(await CreateSutAsync());
        await sut.TrySetBitsAsync(Issuer, "1", BitsWith(1), 0, CancellationToken.None);
        await sut.TryMarkPublishedAsync(Issuer, "1", null, 1, CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => sut.TryMarkPublishedAsync(Issuer, "1", 1, 0, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => sut.TryMarkPublishedAsync(Issuer, "1", 1, 2, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.TryMarkPublishedAsync(Issuer, "9", null, 0, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_markers_from_one_published_version_admit_exactly_one()
    {
        var sut = await WithListAsync(await CreateSutAsync());

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            Task.Run(() => sut.TryMarkPublishedAsync(Issuer, "1", null, 0, CancellationToken.None))));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task GetUnpublished_lists_new_and_changed_lists_but_not_published_ones()
    {
        var sut = await CreateSutAsync();
        await sut.TryAddAsync(List(1), CancellationToken.None);
        await sut.TryAddAsync(List(2), CancellationToken.None);
        await sut.TryAddAsync(List(1, issuerId: "arizona"), CancellationToken.None);
        await sut.TryMarkPublishedAsync(Issuer, "1", null, 0, CancellationToken.None);
        await sut.TryMarkPublishedAsync("arizona", "1", null, 0, CancellationToken.None);
        await sut.TrySetBitsAsync("arizona", "1", BitsWith(8), 0, CancellationToken.None);

        var pending = await sut.GetUnpublishedAsync(CancellationToken.None);

        Assert.Equal(
            [("arizona", "1", 1L, (long?)0L), (Issuer, "2", 0L, (long?)null)],
            pending.Select(p => (p.IssuerId, p.ListId, p.Version, p.PublishedVersion)).OrderBy(p => p.IssuerId, StringComparer.Ordinal));
        Assert.Equal([8], pending.Single(p => p.IssuerId == "arizona").ToList().SetIndexes());
    }
}
