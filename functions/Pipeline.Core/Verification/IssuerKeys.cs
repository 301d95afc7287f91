using System.Text.Json.Nodes;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Signing;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Verification;

/// <summary>
/// The public keys of every catalog issuer — the current key and the previous ones still published after a rotation
/// (<see cref="Issuer.PreviousKeys"/>) — read through <see cref="ISigner.GetPublicKeyAsync"/> and cached for
/// <see cref="CacheFor"/> (a rotated key shows up within that time). Serves the JWK Sets and the key resolver that
/// checks our own credentials and status lists. A failed load is not cached: the next call tries again.
/// </summary>
public sealed class IssuerKeys(PipelineCatalog catalog, ISigner signer, TimeProvider timeProvider)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(10);

    private Task<Snapshot>? _current;

    /// <summary><c>/issuers/{issuer}/jwks.json</c>: the issuer's current key, then its previous keys.</summary>
    public async Task<JsonObject> IssuerJwksAsync(Issuer issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return IssuerDocuments.IssuerJwks((await SnapshotAsync(cancellationToken)).Published.Where(k => k.Issuer.Id == issuer.Id));
    }

    /// <summary><c>/issuers/{issuer}/did.json</c>: the issuer's DID document with the same keys as its JWK Set.</summary>
    public async Task<JsonObject> DidDocumentAsync(Issuer issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return IssuerDocuments.DidDocument([.. (await SnapshotAsync(cancellationToken)).Published.Where(k => k.Issuer.Id == issuer.Id)]);
    }

    /// <summary><c>/.well-known/jwks.json</c>: every issuer's keys, current and previous (a fresh copy the caller may change).</summary>
    public async Task<JsonObject> AllIssuersJwksAsync(CancellationToken cancellationToken) =>
        (JsonObject)(await SnapshotAsync(cancellationToken)).AllIssuersJwks.DeepClone();

    /// <summary>Resolves keys over the all-issuers JWK Set: only our issuers' keys, each offered for its own issuer.</summary>
    public async Task<IIssuerKeyResolver> ResolverAsync(CancellationToken cancellationToken) =>
        (await SnapshotAsync(cancellationToken)).Resolver;

    private async Task<Snapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is { IsCompletedSuccessfully: true } && current.Result.ExpiresAt > timeProvider.GetUtcNow())
        {
            return current.Result;
        }
        if (current is { IsCompleted: false })
        {
            return await current.WaitAsync(cancellationToken);
        }
        // The load is shared by concurrent callers, so one caller's cancellation must not cancel it.
        _ = Interlocked.CompareExchange(ref _current, LoadAsync(), current);
        return await Volatile.Read(ref _current)!.WaitAsync(cancellationToken);
    }

    private async Task<Snapshot> LoadAsync()
    {
        var issuers = catalog.Issuers.Values.OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
        var published = new List<IssuerDocuments.IssuerKey>();
        foreach (var issuer in issuers)
        {
            published.Add(new IssuerDocuments.IssuerKey(issuer, await signer.GetPublicKeyAsync(issuer.Key, CancellationToken.None), issuer.Key));
            foreach (var previous in issuer.PreviousKeys)
            {
                published.Add(new IssuerDocuments.IssuerKey(issuer, await signer.GetPublicKeyAsync(previous, CancellationToken.None), previous));
            }
        }
        var jwks = IssuerDocuments.AllIssuersJwks(published);
        return new Snapshot(published, jwks, new JwksKeyResolver(jwks), timeProvider.GetUtcNow() + CacheFor);
    }

    private sealed record Snapshot(
        IReadOnlyList<IssuerDocuments.IssuerKey> Published, JsonObject AllIssuersJwks, JwksKeyResolver Resolver, DateTimeOffset ExpiresAt);
}
