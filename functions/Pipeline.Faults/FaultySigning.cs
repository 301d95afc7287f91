using Pipeline.Core.Catalog;
using Pipeline.Core.Signing;
using Pipeline.Core.Status;

namespace Pipeline.Faults;

/// <summary>The signer with injected faults (Key Vault: 429 throttling is its common failure).</summary>
public sealed class FaultySigner(ISigner inner, FaultInjector faults) : ISigner
{
    private const string Port = nameof(ISigner);

    public Task<byte[]> SignDigestAsync(SigningKeyReference key, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return faults.ReadAsync(Port, nameof(SignDigestAsync), key.KeyName + "|" + Convert.ToHexString(digest.Span),
            () => inner.SignDigestAsync(key, digest, cancellationToken), cancellationToken);
    }

    public Task<PublicJwk> GetPublicKeyAsync(SigningKeyReference key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return faults.ReadAsync(Port, nameof(GetPublicKeyAsync), key.KeyName, () => inner.GetPublicKeyAsync(key, cancellationToken), cancellationToken);
    }
}

/// <summary>The status-list store with injected faults; a fault after a compare-and-swap leaves a claimed block unused.</summary>
public sealed class FaultyStatusListStore(IStatusListStore inner, FaultInjector faults) : IStatusListStore
{
    private const string Port = nameof(IStatusListStore);

    public Task<StatusListState?> GetCurrentAsync(string issuerId, CancellationToken cancellationToken) =>
        faults.ReadAsync(Port, nameof(GetCurrentAsync), issuerId, () => inner.GetCurrentAsync(issuerId, cancellationToken), cancellationToken);

    public Task<bool> TryAddAsync(StatusListState list, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        return faults.WriteAsync(Port, nameof(TryAddAsync), list.IssuerId + "/" + list.ListId, () => inner.TryAddAsync(list, cancellationToken), cancellationToken);
    }

    public Task<bool> TryClaimBlockAsync(string issuerId, int number, long expectedNext, long newNext, CancellationToken cancellationToken) =>
        faults.WriteAsync(Port, nameof(TryClaimBlockAsync), FormattableString.Invariant($"{issuerId}/{number}/{expectedNext}"),
            () => inner.TryClaimBlockAsync(issuerId, number, expectedNext, newNext, cancellationToken), cancellationToken);

    public Task<StatusListBits?> GetListAsync(string issuerId, string listId, CancellationToken cancellationToken) =>
        faults.ReadAsync(Port, nameof(GetListAsync), issuerId + "/" + listId, () => inner.GetListAsync(issuerId, listId, cancellationToken), cancellationToken);

    public Task<bool> TrySetBitsAsync(string issuerId, string listId, ReadOnlyMemory<byte> bits, long expectedVersion, CancellationToken cancellationToken) =>
        faults.WriteAsync(Port, nameof(TrySetBitsAsync), FormattableString.Invariant($"{issuerId}/{listId}/{expectedVersion}"),
            () => inner.TrySetBitsAsync(issuerId, listId, bits, expectedVersion, cancellationToken), cancellationToken);

    public Task<bool> TryMarkPublishedAsync(string issuerId, string listId, long? expectedPublishedVersion, long version, CancellationToken cancellationToken) =>
        faults.WriteAsync(Port, nameof(TryMarkPublishedAsync), FormattableString.Invariant($"{issuerId}/{listId}/{version}"),
            () => inner.TryMarkPublishedAsync(issuerId, listId, expectedPublishedVersion, version, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<StatusListBits>> GetUnpublishedAsync(CancellationToken cancellationToken) =>
        faults.ReadAsync(Port, nameof(GetUnpublishedAsync), "all", () => inner.GetUnpublishedAsync(cancellationToken), cancellationToken);
}
