using BenchmarkDotNet.Attributes;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Mail;
using Pipeline.Core.Pathways;
using Pipeline.Core.Signing;
using Pipeline.Core.Stages.Issue;
using Pipeline.Core.Stages.Notify;
using Pipeline.Core.Storage;

namespace Pipeline.Benchmarks;

/// <summary>
/// The per-message CPU work around the queues: decoding a <c>completions</c> message (JSON, schema, contract checks)
/// and composing and formatting one claim email (as the Notify stage does per credential, without the file write).
/// Run: <c>dotnet run -c Release --project bench/Pipeline.Benchmarks -- --job short --filter *MessageBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class MessageBenchmarks : IDisposable
{
    private PipelineFixture _fixture = null!;
    private string _completion = null!;
    private EmailMessage _email = null!;
    private MimeEmailComposer _composer = null!;
    private MemoryStream _formatted = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new PipelineFixture();
        var request = _fixture.Request(_fixture.IssuerWith(SigningAlgorithm.RS256));
        _completion = StageMessages.ToCompletions(new RecordCompletion
        {
            CorrelationId = "sis:banner-2026FA.csv#12",
            Completion = new CompletionEvent
            {
                Source = "sis:banner",
                LearnerId = request.Learner.LearnerId,
                ActivityId = "DAT101",
                CompletedAt = PipelineFixture.Now,
                Outcome = CompletionOutcome.Passed,
                Grade = "A",
                Score = 91,
            },
            Learner = request.Learner,
        }).Body;
        var png = new BadgeArt(_fixture.Catalog).Png(request.Achievement);
        _email = ClaimEmail.Compose("0-T-XUZYgXmXiTFdscvjcA", request.Issuer, request.Achievement, request.Learner,
            request.Issuer.Urls.Claim("hbYRyRZyUIEP5sAbf4hLjD7buXMLT0R0PgBq-eG2cGs"), PipelineFixture.Now.AddDays(90), png, null);
        _composer = new MimeEmailComposer(new FixedTime(PipelineFixture.Now));
        _formatted = new MemoryStream(64 * 1024);
    }

    /// <summary>A valid message as ingest writes it.</summary>
    [Benchmark]
    public RecordCompletion DecodeRecordCompletion() => StageMessages.DecodeRecordCompletion(_completion);

    /// <summary>MIME composition and formatting of one claim email into memory (what the outbox writes).</summary>
    [Benchmark]
    public long FormatClaimEmail()
    {
        _formatted.SetLength(0);
        using var mime = _composer.Compose(_email);
        mime.WriteTo(_formatted);
        return _formatted.Length;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _fixture?.Dispose();
        _formatted?.Dispose();
        GC.SuppressFinalize(this);
    }
}
