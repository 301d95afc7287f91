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
/// The bits of one status list and how far they are published. <see cref="Version"/> counts changes to the bits (0 when
/// the list is created, all zeros); <see cref="PublishedVersion"/> is the version the public list credential was last
/// signed at, or null while the list has never been published.
/// </summary>
public sealed record StatusListBits
{
    public required string IssuerId { get; init; }
    public required string ListId { get; init; }
    /// <summary>The bitstring, <c>Length / 8</c> bytes, index 0 = most significant bit of byte 0.</summary>
    public required ReadOnlyMemory<byte> Bits { get; init; }
    public required long Version { get; init; }
    public long? PublishedVersion { get; init; }

    /// <summary>True when the public list is missing or older than the bits.</summary>
    public bool NeedsPublishing => PublishedVersion is not { } published || published < Version;

    /// <summary>A copy of the bits as a list.</summary>
    public BitstringStatusList ToList() => BitstringStatusList.FromBytes(Bits.Span);
}

/// <summary>
/// The status-list port: allocation state (the allocator claims index blocks through it) and each list's bits and
/// publication state. Implementations must make <see cref="TryAddAsync"/> an insert-if-absent and
/// <see cref="TryClaimBlockAsync"/>, <see cref="TrySetBitsAsync"/> and <see cref="TryMarkPublishedAsync"/>
/// compare-and-swaps (e.g. a table row with an ETag). A list id is the list number in base 10 (<see cref="StatusListState.ListId"/>).
/// </summary>
public interface IStatusListStore
{
    /// <summary>The issuer's list with the highest number, or null when it has none.</summary>
    Task<StatusListState?> GetCurrentAsync(string issuerId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the list if no list with that issuer and number exists (bits all zero, version 0, never published);
    /// false if one already does.
    /// </summary>
    Task<bool> TryAddAsync(StatusListState list, CancellationToken cancellationToken);

    /// <summary>Sets the list's NextCounter to <paramref name="newNext"/> only if it still equals <paramref name="expectedNext"/>.</summary>
    Task<bool> TryClaimBlockAsync(string issuerId, int number, long expectedNext, long newNext, CancellationToken cancellationToken);

    /// <summary>The list's bits and publication state, or null when the issuer has no such list.</summary>
    Task<StatusListBits?> GetListAsync(string issuerId, string listId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the bits and increments the version, only if the version still equals <paramref name="expectedVersion"/>.
    /// An unknown list, or bits of another length than the list's, is a fault (exception).
    /// </summary>
    Task<bool> TrySetBitsAsync(string issuerId, string listId, ReadOnlyMemory<byte> bits, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the public list credential now holds <paramref name="version"/>, only if the published version still
    /// equals <paramref name="expectedPublishedVersion"/> (null: never published). The published version never moves
    /// back and never passes the bits' version: <paramref name="version"/> below the expected one, or above the list's
    /// version, is a fault, as is an unknown list. A false result tells a publisher that another one published
    /// meanwhile, so the blob it just wrote may have replaced a newer one: it must publish again.
    /// </summary>
    Task<bool> TryMarkPublishedAsync(string issuerId, string listId, long? expectedPublishedVersion, long version, CancellationToken cancellationToken);

    /// <summary>Every list of every issuer whose bits are ahead of its public list credential, or never published.</summary>
    Task<IReadOnlyList<StatusListBits>> GetUnpublishedAsync(CancellationToken cancellationToken);
}
