using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Storage;
using Pipeline.Local.Storage;

namespace Pipeline.Benchmarks;

/// <summary>
/// The whole ingest of the bench command's term, as <c>bench</c> times it: <see cref="IngestSisFileHandler.HandleAsync"/>
/// over a folder blob store and the real SQLite queue (a fresh database, on /dev/shm when there is one), from the
/// call to its return. Each invocation drops the file again and empties the queue first. Divide by the rows
/// (~5.1 a learner). Run: <c>dotnet run -c Release --project bench/Pipeline.Benchmarks -- --filter *IngestToQueue* --inProcess --warmupCount 2 --iterationCount 8</c>.
/// </summary>
[MemoryDiagnoser]
public class IngestBenchmarks : IDisposable
{
    private const string TermBlob = "generic/term.csv";

    private PipelineFixture _fixture = null!;
    private string _folder = null!;
    private SqliteDatabase _database = null!;
    private FolderBlobStore _blobs = null!;
    private IngestSisFileHandler _ingest = null!;
    private byte[] _term = null!;

    /// <summary>Learners in the ingested term; 10,000 is the bench command's default.</summary>
    [Params(10_000)]
    public int Learners { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new PipelineFixture();
        var parent = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _folder = Path.Combine(parent, "pipeline-bench-ingest-" + Environment.ProcessId);
        _database = SqliteDatabase.OpenAsync(Path.Combine(_folder, "data"), CancellationToken.None).GetAwaiter().GetResult();
        _blobs = new FolderBlobStore(Path.Combine(_folder, "blobs"));
        _term = _fixture.TermCsv(Learners);
        var catalog = _fixture.Catalog;
        _ingest = new IngestSisFileHandler(
            _blobs,
            new SqliteQueue(_database, TimeProvider.System),
            new SisIngestOptions { Maps = catalog.SisMaps, IsKnownActivity = catalog.IsPathwayActivity },
            new FixedTime(PipelineFixture.Now),
            NullLogger<IngestSisFileHandler>.Instance);
    }

    [IterationSetup]
    public void DropTerm()
    {
        _database.WriteAsync(scope => scope.Execute("DELETE FROM queue_messages;"), CancellationToken.None).GetAwaiter().GetResult();
        _blobs.PutAsync(Containers.SisInbox, TermBlob, _term, "text/csv", CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark]
    public Task<IngestReport> IngestToQueue() => _ingest.HandleAsync(Containers.SisInbox, TermBlob, CancellationToken.None);

    [GlobalCleanup]
    public void Dispose()
    {
        _database?.Dispose();
        _fixture?.Dispose();
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
        GC.SuppressFinalize(this);
    }
}
