using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Stages.Ingest;

/// <summary>Alone, so no other test's allocations show in the memory this one measures.</summary>
[CollectionDefinition(nameof(MemoryMeasured), DisableParallelization = true)]
public sealed class MemoryMeasured;

[Collection(nameof(MemoryMeasured))]
public sealed class MillionRowSisFileTests
{
    private const int Rows = 1_000_000;

    [Fact]
    public async Task A_million_row_file_is_streamed_every_row_sent_with_live_memory_of_a_dictionary_entry_per_row_not_the_file()
    {
        var blobs = new GeneratedInbox(Rows);
        var sender = new CountingSender();
        var handler = new IngestSisFileHandler(
            blobs,
            sender,
            new SisIngestOptions { Maps = SisMapLoader.Load(Path.Combine(RepositoryPaths.Samples, "catalog", "sis-maps")).Maps, IsKnownActivity = a => a == "CS101" },
            new FakeTimeProvider(new DateTimeOffset(2026, 1, 10, 8, 0, 0, TimeSpan.Zero)),
            NullLogger<IngestSisFileHandler>.Instance);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        var report = await handler.HandleAsync(Containers.SisInbox, GeneratedInbox.Name, CancellationToken.None);

        Assert.Equal(new IngestCounts(Rows, Rows, 0, 0, 0, 0), report.Counts);
        Assert.Equal(Rows, sender.Count);
        var growth = sender.PeakLiveBytes - baseline;
        // Per accepted row the reader keeps a 16-byte event-id hash and a row number for duplicate detection
        // (SisFileReader: about 50 bytes with the dictionary's overhead and spare capacity); nothing else grows with the file.
        Assert.True(growth < Rows * 64L && growth < blobs.GeneratedBytes * 2 / 3,
            $"live memory grew by {growth:N0} bytes while reading a {blobs.GeneratedBytes:N0}-byte file");
    }

    /// <summary>An inbox holding one generated file, produced as it is read: the file never exists whole.</summary>
    private sealed class GeneratedInbox(int rows) : IBlobStore
    {
        public const string Name = "generic/million.csv";
        private bool _moved;

        public long GeneratedBytes { get; private set; }

        public Task<Stream?> OpenReadAsync(string container, string name, CancellationToken cancellationToken) =>
            Task.FromResult<Stream?>(container == Containers.SisInbox && name == Name && !_moved ? new GeneratedCsv(rows, n => GeneratedBytes = n) : null);

        public Task PutAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<BlobContent?> GetAsync(string container, string name, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"{container}/{name} was read whole: ingest streams the file and moves it without reading it.");

        public async IAsyncEnumerable<string> ListAsync(string container, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            yield break;
        }

        public Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken) =>
            container == Containers.SisInbox
                ? throw new InvalidOperationException($"{container}/{name}: ingest moves the file, it does not delete it.")
                : Task.FromResult(false);

        public Task<bool> MoveAsync(string sourceContainer, string name, string targetContainer, CancellationToken cancellationToken)
        {
            var moved = sourceContainer == Containers.SisInbox && name == Name && targetContainer == Containers.SisProcessed && !_moved;
            _moved |= moved;
            return Task.FromResult(moved);
        }
    }

    private sealed class GeneratedCsv(int rows, Action<long> onLength) : Stream
    {
        private byte[] _pending = Encoding.UTF8.GetBytes("learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score\n");
        private int _offset;
        private int _row;
        private long _length;

        public override int Read(Span<byte> buffer)
        {
            if (_offset == _pending.Length)
            {
                if (_row == rows)
                {
                    onLength(_length);
                    return 0;
                }
                _row++;
                _pending = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                    $"S{_row:D7},learner{_row:D7}@example.edu,Given{_row},Family{_row},CS101,2025-12-{1 + _row % 28:D2},passed,A,{50 + _row % 50}\n"));
                _offset = 0;
            }
            var n = Math.Min(buffer.Length, _pending.Length - _offset);
            _pending.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            _length += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Counts what is sent, and every 100 000 messages measures live memory after a full collection.</summary>
    private sealed class CountingSender : IMessageSender
    {
        public int Count { get; private set; }
        public long PeakLiveBytes { get; private set; }

        public Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken) => SendBatchAsync([message], cancellationToken);

        public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
        {
            var before = Count;
            Count += messages.Count;
            if (Count / 100_000 != before / 100_000)
            {
                PeakLiveBytes = Math.Max(PeakLiveBytes, GC.GetTotalMemory(forceFullCollection: true));
            }
            return Task.CompletedTask;
        }
    }
}
