using System.Globalization;

namespace Pipeline.Core.Status;

/// <summary>
/// The allocation state of one status list. Lists of an issuer are numbered 1, 2, 3…; the list id in URLs is the
/// number. <see cref="NextCounter"/> counts allocations handed out in blocks: the counters below it are claimed,
/// and counter <c>c</c> maps to bit <c>Permutation.Permute(c)</c>. A list is full when NextCounter reaches Length.
/// </summary>
public sealed record StatusListState
{
    public required string IssuerId { get; init; }
    public required int Number { get; init; }
    /// <summary>Number of entries (bits); at least <see cref="BitstringStatusList.MinimumLength"/>.</summary>
    public required int Length { get; init; }
    /// <summary>Secret key of the list's index permutation (32 random bytes), fixed when the list is created.</summary>
    public required ReadOnlyMemory<byte> PermutationKey { get; init; }
    public required long NextCounter { get; init; }

    public string ListId => Number.ToString(CultureInfo.InvariantCulture);

    public bool IsFull => NextCounter >= Length;
}

/// <summary>
/// The port the allocator claims index blocks through. Implementations must make <see cref="TryAddAsync"/> an
/// insert-if-absent and <see cref="TryClaimBlockAsync"/> a compare-and-swap (e.g. a table row with an ETag).
/// </summary>
public interface IStatusListStore
{
    /// <summary>The issuer's list with the highest number, or null when it has none.</summary>
    Task<StatusListState?> GetCurrentAsync(string issuerId, CancellationToken cancellationToken);

    /// <summary>Creates the list if no list with that issuer and number exists; false if one already does.</summary>
    Task<bool> TryAddAsync(StatusListState list, CancellationToken cancellationToken);

    /// <summary>Sets the list's NextCounter to <paramref name="newNext"/> only if it still equals <paramref name="expectedNext"/>.</summary>
    Task<bool> TryClaimBlockAsync(string issuerId, int number, long expectedNext, long newNext, CancellationToken cancellationToken);
}
