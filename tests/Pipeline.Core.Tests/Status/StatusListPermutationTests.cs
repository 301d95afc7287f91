using FsCheck;
using FsCheck.Xunit;
using Pipeline.Core.Status;

namespace Pipeline.Core.Tests.Status;

public sealed class StatusListPermutationTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Property(MaxTest = 100)]
    public bool Permute_is_a_bijection_on_small_sizes(PositiveInt rawSize, int seed)
    {
        var size = (rawSize.Get % 3000) + 1;
        var key = new byte[32];
        new Random(seed).NextBytes(key);
        var permutation = new StatusListPermutation(key, size);

        var images = Enumerable.Range(0, size).Select(permutation.Permute).ToArray();

        return images.All(i => i >= 0 && i < size) && images.Distinct().Count() == size;
    }

    [Fact]
    public void Permute_is_a_bijection_on_the_real_list_size()
    {
        var permutation = new StatusListPermutation(Key, BitstringStatusList.MinimumLength);
        var seen = new bool[BitstringStatusList.MinimumLength];

        for (var counter = 0; counter < seen.Length; counter++)
        {
            var index = permutation.Permute(counter);
            Assert.False(seen[index], $"index {index} came twice");
            seen[index] = true;
        }
    }

    [Fact]
    public void Consecutive_counters_are_not_consecutive_indexes()
    {
        var permutation = new StatusListPermutation(Key, BitstringStatusList.MinimumLength);

        var first = Enumerable.Range(0, 64).Select(permutation.Permute).ToArray();

        Assert.NotEqual(Enumerable.Range(0, 64), first);
        Assert.True(first.Max() - first.Min() > 64 * 64, $"64 indexes spread over only {first.Max() - first.Min()}");
    }

    [Fact]
    public void Different_keys_give_different_orders()
    {
        var other = Key.Select(b => (byte)(b ^ 0x5A)).ToArray();

        var a = Enumerable.Range(0, 16).Select(new StatusListPermutation(Key, 131_072).Permute);
        var b = Enumerable.Range(0, 16).Select(new StatusListPermutation(other, 131_072).Permute);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Permute_outside_the_domain_throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new StatusListPermutation(Key, 10).Permute(10));

    [Fact]
    public void Short_key_is_refused() =>
        Assert.Throws<ArgumentException>(() => new StatusListPermutation(new byte[8], 10));
}
