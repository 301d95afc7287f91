using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Baking;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http;
using Pipeline.Core.Http.Verify;
using Pipeline.Core.Pathways;
using Pipeline.Core.Signing;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Http;

/// <summary>
/// The public endpoints on the ASP.NET test server over the sample catalog (one achievement description carrying
/// markup), with keys in a temp folder, in-memory blobs and ledgers, and one credential issued for real: built,
/// signed, baked, stored with its status list, OB 2.0 assertion, ledger row and claim link.
/// </summary>
internal sealed class PublicSite : IAsyncDisposable
{
    public const string IssuerId = "arizona";
    public const string AchievementId = "arizona-cobot-safety-certification";
    public const string ListId = "1";
    public const int StatusIndex = 4242;
    public const string LearnerEmail = "cobot.learner@example.edu";
    public const string LearnerName = "<script>alert(1)</script>";
    public const string DescriptionWithMarkup = "Operates collaborative robots <b>safely</b> & by the book.";
    public static readonly DateTimeOffset AwardedAt = new(2026, 1, 14, 16, 30, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = new(2026, 2, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly string CredentialId = Pipeline.Core.Credentials.CredentialId.Compute(IssuerId, AchievementId, "S2001", null).Value;

    private readonly WebApplication _app;
    private readonly DirectoryInfo _keys;
    private readonly LocalJwkSigner _signer;

    private PublicSite(WebApplication app, DirectoryInfo keys, LocalJwkSigner signer, PipelineCatalog catalog)
    {
        _app = app;
        _keys = keys;
        _signer = signer;
        Catalog = catalog;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }
    public PipelineCatalog Catalog { get; }
    public required FakeTimeProvider Time { get; init; }
    public required InMemoryBlobStore Blobs { get; init; }
    public required InMemoryCredentialLedger Credentials { get; init; }
    public required InMemoryClaimLedger Claims { get; init; }
    public required InMemoryProgressLedger Progress { get; init; }
    public required InMemoryAuditLog Audit { get; init; }
    public required RecordingMessageSender Messages { get; init; }
    /// <summary>What other hosts answer the verifier's fetches (DID documents, status lists, hosted assertions).</summary>
    public required CannedWeb Web { get; init; }
    public string ClaimToken { get; private set; } = "";
    public Issuer Issuer => Catalog.Issuers[IssuerId];
    public IServiceProvider Services => _app.Services;

    public Task<string> SignAsync(System.Text.Json.Nodes.JsonObject credential, Issuer issuer) =>
        new VcJwt(_signer).SignCredentialAsync(credential, issuer, CancellationToken.None);

    public static async Task<PublicSite> StartAsync()
    {
        var sample = SampleCatalog.Catalog;
        var catalog = new PipelineCatalog(
            sample.RootPath,
            sample.Issuers.Values,
            sample.Achievements.Values.Select(a => a.Id == AchievementId ? a with { Description = DescriptionWithMarkup } : a),
            sample.GradeScales.Values,
            sample.DefaultGradeScale?.Name,
            sample.Activities.Values,
            sample.SisMaps);
        var keys = Directory.CreateTempSubdirectory("http-keys-");
        var signer = new LocalJwkSigner(keys.FullName);
        foreach (var issuer in catalog.Issuers.Values)
        {
            await signer.EnsureKeyAsync(issuer.Key, CancellationToken.None);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        FakeTimeProvider time = new(Now);
        InMemoryBlobStore blobs = new();
        InMemoryCredentialLedger credentials = new();
        InMemoryClaimLedger claims = new();
        InMemoryProgressLedger progress = new();
        InMemoryAuditLog audit = new();
        RecordingMessageSender messages = new();
        CannedWeb web = new();
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<ISigner>(signer);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IBlobStore>(blobs);
        builder.Services.AddSingleton<ICredentialLedger>(credentials);
        builder.Services.AddSingleton<IClaimLedger>(claims);
        builder.Services.AddSingleton<IProgressLedger>(progress);
        builder.Services.AddSingleton<IAuditLog>(audit);
        builder.Services.AddSingleton<IMessageSender>(messages);
        builder.Services.AddSingleton(new SafeHttpFetcher(time, web));
        builder.Services.AddPipelineHttp();
        var app = builder.Build();
        app.MapPipelineEndpoints();
        await app.StartAsync();
        var site = new PublicSite(app, keys, signer, catalog)
        {
            Time = time,
            Blobs = blobs,
            Credentials = credentials,
            Claims = claims,
            Progress = progress,
            Audit = audit,
            Messages = messages,
            Web = web,
        };
        await site.IssueAsync();
        return site;
    }

    /// <summary>Signs and stores the issuer's status list with the given entries set.</summary>
    public async Task PublishStatusListAsync(params int[] revoked)
    {
        var list = new BitstringStatusList();
        foreach (var index in revoked)
        {
            list.Set(index);
        }
        var credential = StatusListCredential.Create(Issuer, ListId, list, AwardedAt);
        var jwt = await new VcJwt(_signer).SignCredentialAsync(credential, Issuer, CancellationToken.None);
        await Blobs.PutAsync(Containers.Public, BlobNames.StatusList(IssuerId, ListId), Encoding.UTF8.GetBytes(jwt), BlobNames.ContentTypes.Jwt, CancellationToken.None);
    }

    public async Task<string> GetStringAsync(string path, string? accept = null)
    {
        using var response = await SendAsync(path, accept);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<HttpResponseMessage> SendAsync(string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        return await Client.SendAsync(request);
    }

    private async Task IssueAsync()
    {
        var ct = CancellationToken.None;
        var achievement = Catalog.Achievements[AchievementId];
        var urls = Issuer.Urls;
        var learner = new LearnerProfile { LearnerId = "S2001", Email = LearnerEmail, GivenName = LearnerName, FamilyName = "Tester" };
        await Progress.UpsertLearnerAsync(learner, ct);
        var request = new OpenBadgeCredentialRequest
        {
            Issuer = Issuer,
            Achievement = achievement,
            Learner = learner,
            SubjectId = RecipientIdentity.SubjectId(IssuerId, learner.LearnerId, CredentialTestData.SubjectSecret),
            RecipientSalt = CredentialTestData.Salt,
            AwardedAt = AwardedAt,
            ValidFrom = AwardedAt,
            Status = new StatusListEntry(urls.StatusList(IssuerId, ListId), StatusIndex),
            AchievementImage = urls.AchievementImage(AchievementId, "png"),
            IssuerImage = urls.IssuerImage(IssuerId, "png"),
        };
        Assert.Equal(CredentialId, request.Id.Value);
        var credential = OpenBadgeCredentialBuilder.Build(request);
        var jwt = await new VcJwt(_signer).SignCredentialAsync(credential, Issuer, ct);
        var png = PngBakery.Bake(File.ReadAllBytes(Catalog.ResolvePath(achievement.ImagePngPath)), BakedCredential.Ob3Jwt(jwt));
        var svg = SvgBakery.Bake(File.ReadAllBytes(Catalog.ResolvePath(achievement.ImageSvgPath)), BakedCredential.Ob3Jwt(jwt));
        Assert.True(png.Succeeded && svg.Succeeded);

        await Blobs.PutAsync(Containers.Credentials, BlobNames.CredentialFile(CredentialId, "jwt"), Encoding.UTF8.GetBytes(jwt), BlobNames.ContentTypes.Jwt, ct);
        await Blobs.PutAsync(Containers.Credentials, BlobNames.CredentialFile(CredentialId, "json"), Encoding.UTF8.GetBytes(credential.ToJsonString()), BlobNames.ContentTypes.VcJson, ct);
        await Blobs.PutAsync(Containers.Credentials, BlobNames.CredentialFile(CredentialId, "png"), png.Value, BlobNames.ContentTypes.Png, ct);
        await Blobs.PutAsync(Containers.Credentials, BlobNames.CredentialFile(CredentialId, "svg"), svg.Value, BlobNames.ContentTypes.Svg, ct);
        var assertion = OpenBadges2Documents.Assertion(request, urls.Ob2AssertionImage(CredentialId));
        await Blobs.PutAsync(Containers.Public, BlobNames.Ob2Assertion(CredentialId), Encoding.UTF8.GetBytes(assertion.ToJsonString()), BlobNames.ContentTypes.LdJson, ct);
        await PublishStatusListAsync();

        await Credentials.TryAddAsync(new CredentialRecord
        {
            CredentialId = CredentialId,
            IssuerId = IssuerId,
            AchievementId = AchievementId,
            LearnerId = learner.LearnerId,
            AwardedAt = AwardedAt,
            IssuedAt = AwardedAt,
            StatusListId = ListId,
            StatusListIndex = StatusIndex,
            RecipientSalt = CredentialTestData.Salt,
            State = CredentialState.Issued,
        }, ct);
        var (token, hash) = ClaimTokens.Create();
        ClaimToken = token;
        await Claims.PutPendingAsync(new ClaimRecord { CredentialId = CredentialId, TokenHash = hash, ExpiresAt = Now.AddDays(30) }, ct);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
        _signer.Dispose();
        _keys.Delete(recursive: true);
    }
}
