using Pipeline.Core.Status;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Status;

public sealed class StatusListAllocatorTests
{
    private const string IssuerId = "maine";

    [Fact]
    public async Task First_allocation_creates_list_1_and_claims_one_block()
    {
        var store = new InMemoryStatusListStore();
        using var allocator = new StatusListAllocator(store, blockSize: 64);

        var slot = await allocator.AllocateAsync(IssuerId, CancellationToken.None);

        Assert.Equal("1", slot.ListId);
        Assert.InRange(slot.Index, 0, BitstringStatusList.MinimumLength - 1);
        var list = Assert.Single(store.Lists);
        Assert.Equal(64, list.NextCounter);
        Assert.Equal(32, list.PermutationKey.Length);
    }

    [Fact]
    public async Task Slots_follow_the_list_permutation_in_counter_order()
    {
        var store = new InMemoryStatusListStore();
        using var allocator = new StatusListAllocator(store, blockSize: 4);

        var slots = new List<StatusListSlot>();
        for (var i = 0; i < 10; i++)
        {
            slots.Add(await allocator.AllocateAsync(IssuerId, CancellationToken.None));
        }

        var list = Assert.Single(store.Lists);
        var permutation = new StatusListPermutation(list.PermutationKey.Span, list.Length);
        Assert.Equal(Enumerable.Range(0, 10).Select(permutation.Permute), slots.Select(s => s.Index));
        Assert.Equal(12, list.NextCounter);
    }

    [Fact]
    public async Task Parallel_workers_never_hand_out_the_same_slot_and_roll_over_to_the_next_list()
    {
        var store = new InMemoryStatusListStore();
        var workers = Enumerable.Range(0, 4).Select(_ => new StatusListAllocator(store, blockSize: 64)).ToArray();
        const int perTask = 5000;
        const int tasks = 32;

        var results = await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            var mine = new List<StatusListSlot>(perTask);
            for (var i = 0; i < perTask; i++)
            {
                mine.Add(await workers[t % workers.Length].AllocateAsync(IssuerId, CancellationToken.None));
            }
            return mine;
        })));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(tasks * perTask, all.Distinct().Count());
        Assert.All(all, s => Assert.InRange(s.Index, 0, BitstringStatusList.MinimumLength - 1));
        Assert.Equal(["1", "2"], all.Select(s => s.ListId).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(BitstringStatusList.MinimumLength, all.Count(s => s.ListId == "1"));
        foreach (var worker in workers)
        {
            worker.Dispose();
        }
    }

    [Fact]
    public async Task A_lost_block_leaves_its_indexes_unused_and_others_continue()
    {
        var store = new InMemoryStatusListStore();
        using (var crashed = new StatusListAllocator(store, blockSize: 64))
        {
            await crashed.AllocateAsync(IssuerId, CancellationToken.None);
        }
        using var survivor = new StatusListAllocator(store, blockSize: 64);

        var slot = await survivor.AllocateAsync(IssuerId, CancellationToken.None);

        var list = Assert.Single(store.Lists);
        var permutation = new StatusListPermutation(list.PermutationKey.Span, list.Length);
        Assert.Equal(permutation.Permute(64), slot.Index);
    }

    [Fact]
    public async Task Issuers_have_separate_lists()
    {
        var store = new InMemoryStatusListStore();
        using var allocator = new StatusListAllocator(store);

        await allocator.AllocateAsync("maine", CancellationToken.None);
        await allocator.AllocateAsync("arizona", CancellationToken.None);

        Assert.Equal(["arizona", "maine"], store.Lists.Select(l => l.IssuerId));
    }
}
