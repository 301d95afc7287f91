using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Core.Baking;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Credentials;
using Pipeline.Core.Json;
using Pipeline.Core.Signing;
using Pipeline.Core.Verification;
using Pipeline.Core.Pathways;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Stages.Issue;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;

namespace Pipeline.Benchmarks;

/// <summary>
/// The CPU work of each pipeline step on one item, with allocations (docs/benchmarks.md records the results).
/// Run: <c>dotnet run -c Release --project bench/Pipeline.Benchmarks -- --job short --filter *</c>.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks : IDisposable
{
    private const string TermBlob = "generic/term.csv";

    private PipelineFixture _fixture = null!;
    private IngestSisFileHandler _ingest = null!;
    private PathwayEvaluator _evaluator = null!;
    private LearnerProgress _progress = null!;
    private OpenBadgeCredentialRequest _rsRequest = null!;
    private Issuer _rsIssuer = null!;
    private Issuer _esIssuer = null!;
    private JsonObject _rsCredential = null!;
    private JsonObject _esCredential = null!;
    private VcJwt _vcJwt = null!;
    private BakedCredential _baked = null!;
    private byte[] _png = null!;
    private string _svg = null!;
    private BitstringStatusList _statusList = null!;
    private CredentialVerifier _verifier = null!;
    private string _jwt = null!;

    /// <summary>Learners in the ingested term (~5.1 rows each).</summary>
    [Params(200)]
    public int Learners { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new PipelineFixture();
        var catalog = _fixture.Catalog;
        _ingest = new IngestSisFileHandler(
            new SingleBlobStore(Containers.SisInbox, TermBlob, _fixture.TermCsv(Learners)),
            new NullSender(),
            new SisIngestOptions { Maps = catalog.SisMaps, IsKnownActivity = catalog.IsPathwayActivity },
            new FixedTime(PipelineFixture.Now),
            NullLogger<IngestSisFileHandler>.Instance);

        _evaluator = new PathwayEvaluator(catalog);
        var firstLearner = DryRunAsync().GetAwaiter().GetResult().OfType<SisRowResult.Accepted>()
            .Select(a => a.Message.Completion).GroupBy(c => c.LearnerId).First();
        _progress = new LearnerProgress(firstLearner.Key, [.. firstLearner]);

        _rsIssuer = _fixture.IssuerWith(SigningAlgorithm.RS256);
        _esIssuer = _fixture.IssuerWith(SigningAlgorithm.ES256);
        _fixture.Signer.EnsureKeyAsync(_rsIssuer.Key, CancellationToken.None).GetAwaiter().GetResult();
        _fixture.Signer.EnsureKeyAsync(_esIssuer.Key, CancellationToken.None).GetAwaiter().GetResult();
        _rsRequest = _fixture.Request(_rsIssuer);
        _rsCredential = OpenBadgeCredentialBuilder.Build(_rsRequest);
        _esCredential = OpenBadgeCredentialBuilder.Build(_fixture.Request(_esIssuer));
        _vcJwt = new VcJwt(_fixture.Signer);
        _jwt = _vcJwt.SignCredentialAsync(_rsCredential, _rsIssuer, CancellationToken.None).GetAwaiter().GetResult();

        _baked = BakedCredential.Ob3Jwt(_jwt);
        var art = new BadgeArt(catalog);
        _png = art.Png(_rsRequest.Achievement);
        _svg = Encoding.UTF8.GetString(art.Svg(_rsRequest.Achievement));

        _statusList = new BitstringStatusList();
        for (var index = 17; index < _statusList.Length; index += 997)
        {
            _statusList.Set(index);
        }

        var jwks = IssuerDocuments.IssuerJwks(_rsIssuer, _fixture.Signer.GetPublicKeyAsync(_rsIssuer.Key, CancellationToken.None).GetAwaiter().GetResult());
        _verifier = new CredentialVerifier(new JwksKeyResolver(jwks, publisher: _rsIssuer.Urls.Issuer(_rsIssuer.Id).AbsoluteUri), new FixedTime(PipelineFixture.Now));
    }

    /// <summary>CSV parse + validate of the whole term (ingest's dry run over an in-memory blob): divide by the rows.</summary>
    [Benchmark]
    public Task<List<SisRowResult>> IngestDryRun() => DryRunAsync();

    /// <summary>Rule evaluation of one learner's progress (~5 events), as the Evaluate stage runs per event.</summary>
    [Benchmark]
    public IReadOnlyList<EarnedAchievement> EvaluateLearner() => _evaluator.Evaluate(_progress);

    [Benchmark]
    public byte[] BuildAndSerialiseCredential() => DocumentJson.ToUtf8(OpenBadgeCredentialBuilder.Build(_rsRequest));

    [Benchmark]
    public Task<string> SignRs256() => _vcJwt.SignCredentialAsync(_rsCredential, _rsIssuer, CancellationToken.None);

    [Benchmark]
    public Task<string> SignEs256() => _vcJwt.SignCredentialAsync(_esCredential, _esIssuer, CancellationToken.None);

    [Benchmark]
    public BakingResult<byte[]> BakePng() => PngBakery.Bake(_png, _baked);

    [Benchmark]
    public BakingResult<string> BakeSvg() => SvgBakery.Bake(_svg, _baked);

    /// <summary>GZIP + base64url of a 131,072-slot list with ~130 revoked slots.</summary>
    [Benchmark]
    public string EncodeStatusList() => _statusList.Encode();

    /// <summary>The OB 3.0 verifier on an RS256 VC-JWT (signature, schema, dates; no status checker).</summary>
    [Benchmark]
    public Task<VerificationResult> VerifyCredential() => _verifier.VerifyAsync(_jwt, null, CancellationToken.None);

    [GlobalCleanup]
    public void Dispose()
    {
        _fixture?.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<List<SisRowResult>> DryRunAsync()
    {
        var rows = new List<SisRowResult>();
        await foreach (var row in _ingest.DryRunAsync(Containers.SisInbox, TermBlob, CancellationToken.None))
        {
            rows.Add(row);
        }
        return rows;
    }
}
