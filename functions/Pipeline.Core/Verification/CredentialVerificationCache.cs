using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Verification;

/// <summary>
/// A bounded cache of the verification outcome of our stored credentials, for the public page
/// <c>GET /credentials/{id}</c>. An outcome is reused only while everything it was made from is unchanged:
/// <list type="bullet">
/// <item>the stored VC-JWT (its SHA-256, the JWT blob is read on every request);</item>
/// <item>each of our status lists its <c>credentialStatus</c> names (the SHA-256 of the list blob, read again at most
/// every <see cref="StatusListRecheck"/>, so a republished list shows within that time);</item>
/// <item>the clock: an outcome expires at the credential's next date boundary (<c>validFrom</c>, <c>validUntil</c>, or the
/// status list credential's <c>validUntil</c>) or after <see cref="MaxAge"/>, whichever comes first.</item>
/// </list>
/// A credential whose status is on a list that is not ours is not cached. Times come from the <see cref="TimeProvider"/>;
/// the caches are bounded by entry count (<see cref="MaxEntries"/>, <see cref="MaxStatusLists"/>). A cached outcome is
/// shared by concurrent requests: its credential JSON is fully built before it is cached and only read afterwards.
/// </summary>
public sealed class CredentialVerificationCache : IDisposable
{
    /// <summary>At most this many credential outcomes are kept.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>At most this many status list fingerprints are kept.</summary>
    public const int MaxStatusLists = 1_000;

    /// <summary>How long a status list's fingerprint is trusted before the blob is read again (well under the list's 5-minute <c>ttl</c>).</summary>
    public static readonly TimeSpan StatusListRecheck = TimeSpan.FromSeconds(30);

    /// <summary>The longest an outcome is reused, whatever else holds.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly PipelineCatalog _catalog;
    private readonly IBlobStore _blobs;
    private readonly TimeProvider _timeProvider;
    private readonly MemoryCache _outcomes = new(new MemoryCacheOptions { SizeLimit = MaxEntries });
    private readonly MemoryCache _lists = new(new MemoryCacheOptions { SizeLimit = MaxStatusLists });

    public CredentialVerificationCache(PipelineCatalog catalog, IBlobStore blobs, TimeProvider timeProvider)
    {
        _catalog = catalog;
        _blobs = blobs;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// The outcome for credential <paramref name="credentialId"/> whose stored VC-JWT is <paramref name="jwt"/>: the cached
    /// one while it still holds, else a fresh one from <paramref name="verify"/> (which is then cached when it can be).
    /// </summary>
    public async Task<CredentialVerification> GetOrVerifyAsync(
        string credentialId, ReadOnlyMemory<byte> jwt, Func<CancellationToken, Task<CredentialVerification>> verify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentialId);
        ArgumentNullException.ThrowIfNull(verify);
        var jwtHash = SHA256.HashData(jwt.Span);
        if (_outcomes.TryGetValue(credentialId, out Entry? entry) && entry is not null
            && _timeProvider.GetUtcNow() < entry.ExpiresAt
            && entry.JwtHash.AsSpan().SequenceEqual(jwtHash)
            && await ListsUnchangedAsync(entry.Lists, cancellationToken))
        {
            return entry.Verification;
        }
        var checkedAt = _timeProvider.GetUtcNow();
        var lists = await ListFingerprintsAsync(jwt, cancellationToken);
        var verification = await verify(cancellationToken);
        if (lists is not null)
        {
            Materialize(verification.Result.Credential);
            var expiresAt = NextBoundary(verification.Result.Credential, checkedAt) is { } boundary && boundary < checkedAt + MaxAge ? boundary : checkedAt + MaxAge;
            _outcomes.Set(credentialId, new Entry(verification, jwtHash, lists, expiresAt), new MemoryCacheEntryOptions { Size = 1 });
        }
        return verification;
    }

    public void Dispose()
    {
        _outcomes.Dispose();
        _lists.Dispose();
    }

    private async Task<bool> ListsUnchangedAsync(IReadOnlyList<ListFingerprint> lists, CancellationToken cancellationToken)
    {
        foreach (var list in lists)
        {
            var current = await FingerprintAsync(list.BlobName, cancellationToken);
            if (!current.Hash.AsSpan().SequenceEqual(list.Hash))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The fingerprints of the status lists the credential names, taken before it is verified; null when one is not ours.</summary>
    private async Task<IReadOnlyList<ListFingerprint>?> ListFingerprintsAsync(ReadOnlyMemory<byte> jwt, CancellationToken cancellationToken)
    {
        var fingerprints = new List<ListFingerprint>();
        foreach (var url in StatusListUrls(jwt))
        {
            if (url is null || StatusListChecker.FindOurList(_catalog, url) is not var (issuer, listId))
            {
                return null;
            }
            fingerprints.Add(await FingerprintAsync(BlobNames.StatusList(issuer.Id, listId), cancellationToken));
        }
        return fingerprints;
    }

    private async Task<ListFingerprint> FingerprintAsync(string blobName, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        if (_lists.TryGetValue(blobName, out ListFingerprint? known) && known is not null && now < known.ReadAt + StatusListRecheck)
        {
            return known;
        }
        var blob = await _blobs.GetAsync(Containers.Public, blobName, cancellationToken);
        var fingerprint = new ListFingerprint(blobName, blob is null ? [] : SHA256.HashData(blob.Content.Span), now);
        _lists.Set(blobName, fingerprint, new MemoryCacheEntryOptions { Size = 1 });
        return fingerprint;
    }

    /// <summary>The <c>statusListCredential</c> URLs of the JWT payload's <c>credentialStatus</c> (null for an entry without a usable one).</summary>
    private static IEnumerable<Uri?> StatusListUrls(ReadOnlyMemory<byte> jwt)
    {
        var credential = CredentialOf(jwt);
        var status = credential?["credentialStatus"];
        IEnumerable<JsonNode?> entries = status switch
        {
            null => Array.Empty<JsonNode?>(),
            JsonArray array => array,
            _ => new[] { status },
        };
        return entries.Select(e => e is JsonObject entry && Text(entry["statusListCredential"]) is { } text && Uri.TryCreate(text, UriKind.Absolute, out var url) ? url : null);
    }

    /// <summary>The credential in a compact JWS payload (its <c>vc</c> claim, or the payload itself), or null when it is not one.</summary>
    private static JsonObject? CredentialOf(ReadOnlyMemory<byte> jwt)
    {
        var text = System.Text.Encoding.UTF8.GetString(jwt.Span).Trim();
        var parts = text.Split('.');
        if (parts.Length != 3 || !System.Buffers.Text.Base64Url.IsValid(parts[1]))
        {
            return null;
        }
        try
        {
            var payload = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])) as JsonObject;
            return payload?["vc"] as JsonObject ?? payload;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The earliest of the credential's dates that is still ahead of <paramref name="now"/>, if any.</summary>
    private static DateTimeOffset? NextBoundary(JsonObject? credential, DateTimeOffset now)
    {
        if (credential is null)
        {
            return null;
        }
        DateTimeOffset? next = null;
        foreach (var name in (string[])["validFrom", "validUntil", "issuanceDate", "expirationDate"])
        {
            if (CredentialDates.TryParse(Text(credential[name]), out var date) && date > now && (next is null || date < next))
            {
                next = date;
            }
        }
        return next;
    }

    /// <summary>
    /// Walks the whole tree once so that every lazily parsed object and array is built before the outcome is shared:
    /// after that, concurrent requests only read it.
    /// </summary>
    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var property in obj)
                {
                    Materialize(property.Value);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Materialize(item);
                }
                break;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private sealed record ListFingerprint(string BlobName, byte[] Hash, DateTimeOffset ReadAt);

    private sealed record Entry(CredentialVerification Verification, byte[] JwtHash, IReadOnlyList<ListFingerprint> Lists, DateTimeOffset ExpiresAt);
}
