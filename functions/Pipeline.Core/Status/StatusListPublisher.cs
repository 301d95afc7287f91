using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Status;

/// <summary>
/// Publishes status lists: signs each list's bits as a BitstringStatusListCredential (VC-JWT) and writes it to
/// <c>public/status/{issuer}/{list}.jwt</c>, served at the list's public URL. Revocations only change bits in the store;
/// <see cref="PublishPendingAsync"/> (run by the host every <see cref="StatusListOptions.PublishInterval"/>) signs each
/// changed list once, however many bits changed — so Key Vault sees one signature per list per run, not one per
/// revocation. <see cref="EnsurePublishedAsync"/> lets the Issue stage make sure a new list exists before a credential
/// pointing at it is delivered.
/// <para>
/// Safe with several publishers at once (the Issue stage on many workers, the timer): after writing the blob a
/// publisher records the version it signed with a compare-and-swap from the published version it read first. If that
/// fails, another publisher published in between and this publisher's write may have replaced a newer list, so it
/// publishes the current bits again. The last write is therefore always followed by a successful record of what it holds.
/// </para>
/// </summary>
public sealed class StatusListPublisher(
    PipelineCatalog catalog,
    VcJwt vcJwt,
    IStatusListStore store,
    IBlobStore blobs,
    TimeProvider timeProvider,
    StatusListOptions options,
    ILogger<StatusListPublisher> logger)
{
    private const int MaxAttempts = 16;
    private readonly ConcurrentDictionary<(string IssuerId, string ListId), bool> _knownPublished = new();

    /// <summary>Publishes every list whose bits are ahead of its public credential (or that was never published); returns how many it published.</summary>
    /// <exception cref="AggregateException">Some lists could not be published (each inner exception); the others were.</exception>
    public async Task<int> PublishPendingAsync(CancellationToken cancellationToken)
    {
        var published = 0;
        var faults = new List<Exception>();
        foreach (var list in await store.GetUnpublishedAsync(cancellationToken))
        {
            if (!catalog.Issuers.TryGetValue(list.IssuerId, out var issuer))
            {
                Log.UnknownIssuer(logger, list.IssuerId, list.ListId);
                continue;
            }
            try
            {
                await PublishAsync(issuer, list, cancellationToken);
                published++;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                faults.Add(exception);
            }
        }
        if (faults.Count > 0)
        {
            throw new AggregateException($"{faults.Count} status list(s) could not be published; {published} were.", faults);
        }
        return published;
    }

    /// <summary>
    /// Publishes <paramref name="listId"/> of <paramref name="issuer"/> if it has never been published; otherwise does
    /// nothing (changes to a published list are <see cref="PublishPendingAsync"/>'s job). Lists seen published are
    /// remembered, so a call per issued credential costs no store read.
    /// </summary>
    public async Task EnsurePublishedAsync(Issuer issuer, string listId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentException.ThrowIfNullOrWhiteSpace(listId);
        if (_knownPublished.ContainsKey((issuer.Id, listId)))
        {
            return;
        }
        var list = await store.GetListAsync(issuer.Id, listId, cancellationToken)
            ?? throw new InvalidOperationException($"Status list {issuer.Id}/{listId} does not exist; allocate a slot in it first.");
        if (list.PublishedVersion is null)
        {
            await PublishAsync(issuer, list, cancellationToken);
        }
        _knownPublished.TryAdd((issuer.Id, listId), true);
    }

    private async Task PublishAsync(Issuer issuer, StatusListBits list, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var now = timeProvider.GetUtcNow();
            var credential = StatusListCredential.Create(issuer, list.ListId, list.ToList(), now, options.Validity, options.Ttl);
            var jwt = await vcJwt.SignCredentialAsync(credential, issuer, cancellationToken);
            await blobs.PutAsync(Containers.Public, BlobNames.StatusList(issuer.Id, list.ListId), Encoding.ASCII.GetBytes(jwt), BlobNames.ContentTypes.Jwt, cancellationToken);
            if (await store.TryMarkPublishedAsync(issuer.Id, list.ListId, list.PublishedVersion, list.Version, cancellationToken))
            {
                Log.Published(logger, issuer.Id, list.ListId, list.Version);
                return;
            }
            Log.PublishRaced(logger, issuer.Id, list.ListId);
            list = await store.GetListAsync(issuer.Id, list.ListId, cancellationToken)
                ?? throw new InvalidOperationException($"Status list {issuer.Id}/{list.ListId} vanished while it was being published.");
        }
        throw new InvalidOperationException($"Status list {issuer.Id}/{list.ListId}: other publishers kept publishing it at the same time ({MaxAttempts} attempts).");
    }
}
