using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Credentials;
using Pipeline.Core.Pathways;
using Pipeline.Core.Signing;
using Pipeline.Core.Stages.Evaluate;
using Pipeline.Core.Stages.Issue;
using Pipeline.Core.Stages.Notify;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.TestData;

/// <summary>
/// The Evaluate, Issue and Notify handlers wired over the sample catalog, in-memory ports and a JWK-file signer in a
/// temp folder, with a fake clock. One learner (<see cref="Learner"/>) works towards Arizona's robotics and machine
/// learning micro-credentials, which stack into the artificial intelligence certificate.
/// </summary>
internal sealed class StageScenario : IDisposable
{
    public const string Learner = "S1001";
    public const string Robotics = "arizona-robotics";
    public const string MachineLearning = "arizona-machine-learning";
    public const string ArtificialIntelligence = "arizona-artificial-intelligence";
    public static readonly DateTimeOffset Now = new(2026, 12, 20, 10, 0, 0, TimeSpan.Zero);
    public static readonly LearnerProfile Profile = new() { LearnerId = Learner, Email = "ada.lovelace@example.edu", GivenName = "Ada", FamilyName = "Lovelace" };

    private readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("stage-keys-");

    public StageScenario()
    {
        Signer = new LocalJwkSigner(_keys.FullName);
        foreach (var issuer in Catalog.Issuers.Values)
        {
            Signer.EnsureKeyAsync(issuer.Key, CancellationToken.None).GetAwaiter().GetResult();
        }
        Evaluate = new EvaluateCompletionHandler(Catalog, new PathwayEvaluator(Catalog), Events, Progress, Credentials, NullLogger<EvaluateCompletionHandler>.Instance);
        Issue = CreateIssueHandler(Blobs);
        Notify = CreateNotifyHandler(Mailer);
    }

    public PipelineCatalog Catalog { get; } = SampleCatalog.Catalog;
    public FakeTimeProvider Time { get; } = new(Now);
    public LocalJwkSigner Signer { get; }
    public InMemoryEventLedger Events { get; } = new();
    public InMemoryProgressLedger Progress { get; } = new();
    public InMemoryCredentialLedger Credentials { get; } = new();
    public InMemoryClaimLedger Claims { get; } = new();
    public InMemoryAuditLog Audit { get; } = new();
    public InMemoryBlobStore Blobs { get; } = new();
    public InMemoryStatusListStore StatusLists { get; } = new();
    public RecordingEventPublisher Publisher { get; } = new();
    public RecordingMailer Mailer { get; } = new();
    public EvaluateCompletionHandler Evaluate { get; }
    public IssueCredentialHandler Issue { get; }
    public SendClaimEmailHandler Notify { get; }

    /// <summary>The completions that earn robotics (first three) and machine learning (last three), a day apart.</summary>
    public static CompletionEvent[] Coursework() =>
    [
        Completions.Passed("AME410", "2026-09-01", grade: "B"),
        Completions.Passed("ECE420", "2026-09-02", grade: "A"),
        Completions.Passed("AME430", "2026-09-03", grade: "C"),
        Completions.Passed("CSC380", "2026-09-04", grade: "B+"),
        Completions.Passed("CSC480", "2026-09-05", grade: "A-"),
        Completions.Passed("CSC485", "2026-09-06"),
    ];

    public static RecordCompletion Message(CompletionEvent completion) =>
        new() { CorrelationId = "corr-" + completion.ActivityId, Completion = completion, Learner = Profile };

    public string CredentialIdOf(string achievementId) =>
        CredentialId.Compute(Catalog.Achievements[achievementId].IssuerId, achievementId, Learner, awardPeriod: null).Value;

    public IssueCredentialHandler CreateIssueHandler(IBlobStore blobs)
    {
        var vcJwt = new VcJwt(Signer);
        return new IssueCredentialHandler(
            Catalog, new IssuanceSecrets(CredentialTestData.SubjectSecret), new BadgeArt(Catalog), vcJwt,
            new StatusListAllocator(StatusLists),
            new StatusListPublisher(Catalog, vcJwt, StatusLists, blobs, Time, new StatusListOptions(), NullLogger<StatusListPublisher>.Instance),
            Progress, Events, Credentials, Claims, Audit, blobs, Publisher, Time, NullLogger<IssueCredentialHandler>.Instance);
    }

    public SendClaimEmailHandler CreateNotifyHandler(IMailer mailer) => new(
        Catalog, Credentials, Claims, Progress, Audit, Blobs, mailer, Options.Create(new ClaimEmailOptions()),
        new IssuanceSecrets(CredentialTestData.SubjectSecret), Time, NullLogger<SendClaimEmailHandler>.Instance);

    /// <summary>Runs Evaluate over the whole coursework and returns every IssueCredential it asked for, once each.</summary>
    public async Task<IReadOnlyList<IssueCredential>> EarnAllAsync()
    {
        var emitted = new List<OutgoingMessage>();
        foreach (var completion in Coursework())
        {
            emitted.AddRange((await Evaluate.HandleAsync(Message(completion), CancellationToken.None)).Emitted);
        }
        return [.. emitted.Select(m => StageMessages.DecodeIssueCredential(m.Body)).DistinctBy(r => r.CredentialId)];
    }

    /// <summary>Earns robotics and issues its credential; returns the credential id.</summary>
    public async Task<string> IssueRoboticsAsync()
    {
        var requests = await EarnAllAsync();
        var robotics = requests.Single(r => r.AchievementId == Robotics);
        await Issue.HandleAsync(robotics, CancellationToken.None);
        return robotics.CredentialId;
    }

    public async Task<CredentialVerifier> VerifierAsync(Issuer issuer)
    {
        var jwks = IssuerDocuments.IssuerJwks(issuer, await Signer.GetPublicKeyAsync(issuer.Key, CancellationToken.None));
        return new CredentialVerifier(new JwksKeyResolver(JsonNode.Parse(jwks.ToJsonString())!.AsObject(), publisher: issuer.Urls.Issuer(issuer.Id).AbsoluteUri), Time);
    }

    public void Dispose()
    {
        Signer.Dispose();
        _keys.Delete(recursive: true);
    }
}
