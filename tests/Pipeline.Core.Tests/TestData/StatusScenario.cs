using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Stages.Revoke;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Tests.TestData;

/// <summary>
/// The status-list lifecycle wired over in-memory ports and the committed RS256 test key: issue credentials into slots,
/// revoke them, publish, and read back what a verifier would fetch.
/// </summary>
internal sealed class StatusScenario : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly Pipeline.Core.Signing.LocalJwkSigner _keys = CredentialTestData.Signer();

    public StatusScenario(IStatusListStore? store = null, StatusListOptions? options = null)
    {
        Store = store ?? new InMemoryStatusListStore();
        Signer = new CountingSigner(_keys);
        Catalog = new PipelineCatalog(Path.GetTempPath(), [Issuer], [], [], null, [], []);
        Allocator = new StatusListAllocator(Store, blockSize: 64);
        Publisher = CreatePublisher(options);
        Handler = new RevokeCredentialHandler(Ledger, Store, Audit, Events, Time, NullLogger<RevokeCredentialHandler>.Instance);
    }

    public Issuer Issuer { get; } = CredentialTestData.Issuer();
    public IStatusListStore Store { get; }
    public CountingSigner Signer { get; }
    public PipelineCatalog Catalog { get; }
    public StatusListAllocator Allocator { get; }
    public InMemoryBlobStore Blobs { get; } = new();
    public InMemoryCredentialLedger Ledger { get; } = new();
    public InMemoryAuditLog Audit { get; } = new();
    public RecordingEventPublisher Events { get; } = new();
    public FakeTimeProvider Time { get; } = new(Start);
    public StatusListPublisher Publisher { get; }
    public RevokeCredentialHandler Handler { get; }

    /// <summary>A publisher with its own memory of published lists (another worker), over the same ports.</summary>
    public StatusListPublisher CreatePublisher(StatusListOptions? options = null) =>
        new(Catalog, new VcJwt(Signer), Store, Blobs, Time, options ?? new StatusListOptions(), NullLogger<StatusListPublisher>.Instance);

    /// <summary>Issues <paramref name="count"/> credentials <c>cred-0</c>, <c>cred-1</c>…: a slot each, an Issued ledger row, the list published as the Issue stage does.</summary>
    public async Task<IReadOnlyList<CredentialRecord>> IssueAsync(int count, CredentialState state = CredentialState.Issued)
    {
        var records = new List<CredentialRecord>();
        for (var i = 0; i < count; i++)
        {
            var slot = await Allocator.AllocateAsync(Issuer.Id, CancellationToken.None);
            var record = new CredentialRecord
            {
                CredentialId = "cred-" + i.ToString(CultureInfo.InvariantCulture),
                IssuerId = Issuer.Id,
                AchievementId = "intro-robotics",
                LearnerId = "S" + i.ToString(CultureInfo.InvariantCulture),
                AwardedAt = Start,
                IssuedAt = Start,
                StatusListId = slot.ListId,
                StatusListIndex = slot.Index,
                RecipientSalt = CredentialTestData.Salt,
                State = state,
            };
            await Ledger.TryAddAsync(record, CancellationToken.None);
            await Publisher.EnsurePublishedAsync(Issuer, slot.ListId, CancellationToken.None);
            records.Add(record);
        }
        return records;
    }

    /// <summary>The published list JWT, after checking its signature with the issuer's public key (independent of our signing code).</summary>
    public async Task<string> VerifiedListJwtAsync(string listId)
    {
        var blob = await Blobs.GetAsync(Containers.Public, BlobNames.StatusList(Issuer.Id, listId), CancellationToken.None)
            ?? throw new InvalidOperationException($"No published list {listId}.");
        Assert.Equal(BlobNames.ContentTypes.Jwt, blob.ContentType);
        var jwt = Encoding.ASCII.GetString(blob.Content.Span);
        var jwks = IssuerDocuments.IssuerJwks(Issuer, await _keys.GetPublicKeyAsync(Issuer.Key, CancellationToken.None));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKeys = new JsonWebKeySet(jwks.ToJsonString()).GetSigningKeys(),
            ValidIssuer = Issuer.Urls.Issuer(Issuer.Id).AbsoluteUri,
            ValidateAudience = false,
            ValidateLifetime = false,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return jwt;
    }

    /// <summary>The JWT payload (the list credential plus registered claims).</summary>
    public static JsonObject Payload(string jwt) =>
        JsonNode.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[1]))!.AsObject();

    /// <summary>The set indexes of the published, verified list.</summary>
    public async Task<IReadOnlyList<int>> PublishedIndexesAsync(string listId)
    {
        var payload = Payload(await VerifiedListJwtAsync(listId));
        var decoded = BitstringStatusList.Decode(payload["credentialSubject"]!["encodedList"]!.GetValue<string>());
        Assert.True(decoded.Succeeded, decoded.ToString());
        return [.. decoded.List.SetIndexes()];
    }

    public void Dispose()
    {
        Allocator.Dispose();
        _keys.Dispose();
    }
}
