using System.Buffers;
using System.Text;

namespace Pipeline.Core.Csv;

/// <summary>A CSV record the <see cref="RecordSizeGuardStream"/> held back: where it starts, its size, and its first bytes.</summary>
internal sealed record OversizedRecord(int Line, long Bytes, string Start);

/// <summary>
/// Passes a CSV through record by record, holding back any record longer than a limit (a 10 MB cell, an unclosed quote
/// swallowing the rest of the file): such a record is replaced by its line breaks, which the reader skips as empty
/// lines (so the line numbers of the records after it stay right), and reported in <see cref="Oversized"/>. The
/// other records reach the reader unchanged, so one hostile record costs its own row, not the file. Memory: one
/// record of up to the limit. Quotes are followed as RFC 4180 reads them (a quote opens a field only at its start,
/// <c>""</c> inside a quoted field is a quote); the input must be ASCII-compatible (UTF-8 or Latin-1).
/// </summary>
internal sealed class RecordSizeGuardStream(Stream inner, int maxRecordBytes, char separator) : Stream
{
    private const int PrefixBytes = 40;

    private readonly byte[] _input = new byte[64 * 1024];
    private readonly ArrayBufferWriter<byte> _record = new();
    private readonly ArrayBufferWriter<byte> _ready = new();
    private readonly List<OversizedRecord> _oversized = [];
    private readonly byte _separator = checked((byte)separator);
    private int _readyOffset;
    private int _line = 1;
    private int _recordLine = 1;
    private long _recordBytes;
    private bool _discarding;
    private string _discardedStart = "";
    private bool _atFieldStart = true;
    private bool _inQuotes;
    private bool _quoteInQuotes;
    private bool _ended;

    /// <summary>The records held back so far, in file order; a record is listed once its end was read.</summary>
    public IReadOnlyList<OversizedRecord> Oversized => _oversized;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_readyOffset == _ready.WrittenCount && !_ended)
        {
            Refill(inner.Read(_input));
        }
        return Serve(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_readyOffset == _ready.WrittenCount && !_ended)
        {
            Refill(await inner.ReadAsync(_input, cancellationToken));
        }
        return Serve(buffer.Span);
    }

    private int Serve(Span<byte> buffer)
    {
        var available = _ready.WrittenSpan[_readyOffset..];
        var n = Math.Min(available.Length, buffer.Length);
        available[..n].CopyTo(buffer);
        _readyOffset += n;
        return n;
    }

    private void Refill(int read)
    {
        _ready.ResetWrittenCount();
        _readyOffset = 0;
        if (read == 0)
        {
            _ended = true;
            EndRecord();
            return;
        }
        var chunk = _input.AsSpan(0, read);
        var start = 0;
        for (var i = 0; i < chunk.Length; i++)
        {
            if (Step(chunk[i]))
            {
                Append(chunk[start..(i + 1)]);
                start = i + 1;
                EndRecord();
            }
        }
        Append(chunk[start..]);
    }

    /// <summary>Follows one byte; true when it ends a record.</summary>
    private bool Step(byte b)
    {
        if (b == (byte)'\n')
        {
            _line++;
        }
        if (_inQuotes)
        {
            if (_quoteInQuotes)
            {
                _quoteInQuotes = false;
                if (b == (byte)'"')
                {
                    return false;
                }
                _inQuotes = false;
            }
            else
            {
                _quoteInQuotes = b == (byte)'"';
                return false;
            }
        }
        if (b == (byte)'"' && _atFieldStart)
        {
            _inQuotes = true;
            _atFieldStart = false;
            return false;
        }
        if (b == (byte)'\n')
        {
            _atFieldStart = true;
            return true;
        }
        _atFieldStart = b == _separator || (b == (byte)'\r' && _atFieldStart);
        return false;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        _recordBytes += bytes.Length;
        if (_discarding)
        {
            return;
        }
        if (_recordBytes <= maxRecordBytes)
        {
            _record.Write(bytes);
            return;
        }
        _discarding = true;
        var kept = _record.WrittenSpan;
        var prefix = kept.Length >= PrefixBytes ? kept[..PrefixBytes] : [.. kept, .. bytes[..Math.Min(bytes.Length, PrefixBytes - kept.Length)]];
        _discardedStart = Encoding.UTF8.GetString(prefix).TrimEnd('\uFFFD');
        _record.ResetWrittenCount();
    }

    private void EndRecord()
    {
        if (_discarding)
        {
            _oversized.Add(new OversizedRecord(_recordLine, _recordBytes, _discardedStart));
            for (var i = _recordLine; i < _line; i++)
            {
                _ready.Write("\n"u8);
            }
        }
        else
        {
            _ready.Write(_record.WrittenSpan);
        }
        _record.ResetWrittenCount();
        _recordBytes = 0;
        _discarding = false;
        _recordLine = _line;
    }

    /// <summary>A read-only stream has nothing to flush (Stream's contract for such streams).</summary>
    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
