using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pipeline.Contracts.Tests.TestData;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Signing;
using Pipeline.Core.Stages.Revoke;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;
using Pipeline.Local.Storage;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Storage;

/// <summary>The status-list lifecycle on the embedded adapters: SQLite ledgers and lists, the blob folder, a JWK-file key.</summary>
public sealed class RevocationOverSqliteTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        _database.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Bulk_revoking_100_credentials_publishes_one_verifiable_list_with_exactly_those_bits_in_one_signature()
    {
        var catalog = CatalogLoader.Load(Path.Combine(RepositoryPaths.Samples, "catalog")).Catalog!;
        var issuer = catalog.Issuers["umaine"];
        using var keys = new LocalJwkSigner(Path.Combine(_folder.Path, "keys"));
        await keys.EnsureKeyAsync(issuer.Key, CancellationToken.None);
        var signer = new CountingSigner(keys);
        var database = await _database.OpenAsync();
        var store = new SqliteStatusListStore(database);
        var ledger = new SqliteCredentialLedger(database);
        var audit = new SqliteAuditLog(database);
        var events = new SqliteEventPublisher(database);
        var blobs = new FolderBlobStore(Path.Combine(_folder.Path, "blobs"));
        var time = new FakeTimeProvider(Records.Time);
        var publisher = new StatusListPublisher(catalog, new VcJwt(signer), store, blobs, time, new StatusListOptions(), NullLogger<StatusListPublisher>.Instance);
        var handler = new RevokeCredentialHandler(ledger, store, audit, events, time, NullLogger<RevokeCredentialHandler>.Instance);
        using var allocator = new StatusListAllocator(store);
        var indexes = new List<int>();
        var csv = new StringBuilder("credential_id,reason\n");
        for (var i = 0; i < 100; i++)
        {
            var slot = await allocator.AllocateAsync(issuer.Id, CancellationToken.None);
            var id = "cred-" + i.ToString(CultureInfo.InvariantCulture);
            await ledger.TryAddAsync(Records.Credential(id) with { IssuerId = issuer.Id, StatusListId = slot.ListId, StatusListIndex = slot.Index, State = CredentialState.Issued }, CancellationToken.None);
            await publisher.EnsurePublishedAsync(issuer, slot.ListId, CancellationToken.None);
            indexes.Add(slot.Index);
            csv.Append(id).Append(",\"Issued in error, batch 7\"\n");
        }
        var report = await handler.RevokeManyAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), "admin@maine.edu", CancellationToken.None);
        Assert.Equal(100, report.RevokedCount);
        var before = signer.Signatures;

        Assert.Equal(1, await publisher.PublishPendingAsync(CancellationToken.None));

        Assert.Equal(before + 1, signer.Signatures);
        var blob = await blobs.GetAsync(Containers.Public, BlobNames.StatusList(issuer.Id, "1"), CancellationToken.None);
        var jwt = Encoding.ASCII.GetString(blob!.Content.Span);
        var jwks = IssuerDocuments.IssuerJwks(issuer, await keys.GetPublicKeyAsync(issuer.Key, CancellationToken.None));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKeys = new JsonWebKeySet(jwks.ToJsonString()).GetSigningKeys(),
            ValidIssuer = issuer.Urls.Issuer(issuer.Id).AbsoluteUri,
            ValidateAudience = false,
            ValidateLifetime = false,
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[1]))!;
        var list = BitstringStatusList.Decode(payload["credentialSubject"]!["encodedList"]!.GetValue<string>()).List!;
        Assert.Equal(indexes.Order(), list.SetIndexes());
        Assert.Equal(100, (await events.ReadAllAsync(CancellationToken.None)).Count(e => e.EventType == "CredentialRevoked"));
        Assert.Equal("Issued in error, batch 7", Assert.Single(await audit.GetByCredentialAsync("cred-42", CancellationToken.None)).Reason);
        Assert.Empty(await store.GetUnpublishedAsync(CancellationToken.None));
    }
}
