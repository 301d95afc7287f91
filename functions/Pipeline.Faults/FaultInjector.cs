using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Core.Storage;

namespace Pipeline.Faults;

/// <summary>What an injected fault does to a call.</summary>
public enum FaultKind
{
    None,
    /// <summary>The call throws <see cref="InjectedFaultException"/>.</summary>
    Failure,
    /// <summary>The call throws <see cref="TimeoutException"/> (the client gave up; the service may have done the work).</summary>
    Timeout,
    /// <summary>The call throws <see cref="ThrottledException"/> (429/503 with Retry-After).</summary>
    Throttled,
    /// <summary>The call succeeds after a delay.</summary>
    Slow,
}

/// <summary>The fate of one call: its fault, and for a write whether the fault strikes after the write happened.</summary>
public readonly record struct FaultDecision(FaultKind Kind, bool AfterWrite, TimeSpan Delay, int StatusCode);

/// <summary>How many faults were injected, by kind and moment, and how many deliveries were duplicated.</summary>
public sealed record FaultCounts(long Calls, long Failures, long Timeouts, long Throttled, long Slow, long AfterWrite, long Duplicates)
{
    public long Injected => Failures + Timeouts + Throttled + Slow;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"calls={Calls} failures={Failures} timeouts={Timeouts} throttled={Throttled} slow={Slow} afterWrite={AfterWrite} duplicates={Duplicates}");
}

/// <summary>
/// Decides and applies faults for the port decorators. A decision is a hash of (seed, port, operation, key, attempt
/// number of that key), not a draw from a shared generator, so it does not depend on thread interleaving: the third
/// attempt to write <c>credentials/X.png</c> meets the same fault in every run with the same seed.
/// </summary>
public sealed class FaultInjector
{
    private readonly FaultOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private long _calls, _failures, _timeouts, _throttled, _slow, _afterWrite, _duplicates;

    public FaultInjector(FaultOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
    }

    public FaultOptions Options => _options;

    public FaultCounts Counts => new(
        Interlocked.Read(ref _calls), Interlocked.Read(ref _failures), Interlocked.Read(ref _timeouts),
        Interlocked.Read(ref _throttled), Interlocked.Read(ref _slow), Interlocked.Read(ref _afterWrite), Interlocked.Read(ref _duplicates));

    /// <summary>The fate of the next call of <paramref name="operation"/> on <paramref name="port"/> about <paramref name="key"/>.</summary>
    public FaultDecision Decide(string port, string operation, string key, bool writes)
    {
        var attempt = _attempts.AddOrUpdate($"{port}|{operation}|{key}", 1, (_, n) => n + 1);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{_options.Seed}|{port}|{operation}|{key}|{attempt}")), hash);
        if (Unit(hash) >= _options.Rate)
        {
            return default;
        }
        var kind = (FaultKind)(1 + (hash[8] % 4));
        var fraction = hash[9] / 255.0;
        var delay = kind == FaultKind.Slow
            ? _options.MaxSlowDelay * fraction
            : TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)(_options.MaxRetryAfter.Ticks * fraction)));
        return new FaultDecision(kind, writes && kind != FaultKind.Slow && (hash[10] & 1) == 1, delay, (hash[11] & 1) == 0 ? 429 : 503);
    }

    /// <summary>True when a message sent about <paramref name="key"/> should be delivered twice.</summary>
    public bool ShouldDuplicate(string key)
    {
        var attempt = _attempts.AddOrUpdate("duplicate|" + key, 1, (_, n) => n + 1);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{_options.Seed}|duplicate|{key}|{attempt}")), hash);
        if (Unit(hash) >= _options.EffectiveDuplicateRate)
        {
            return false;
        }
        Interlocked.Increment(ref _duplicates);
        return true;
    }

    /// <summary>Runs a read: the fault, if any, strikes before it.</summary>
    public Task<T> ReadAsync<T>(string port, string operation, string key, Func<Task<T>> call, CancellationToken cancellationToken) =>
        InvokeAsync(port, operation, key, writes: false, call, cancellationToken);

    /// <summary>Runs a write: the fault, if any, strikes before it or after it has happened.</summary>
    public Task<T> WriteAsync<T>(string port, string operation, string key, Func<Task<T>> call, CancellationToken cancellationToken) =>
        InvokeAsync(port, operation, key, writes: true, call, cancellationToken);

    public Task WriteAsync(string port, string operation, string key, Func<Task> call, CancellationToken cancellationToken) =>
        InvokeAsync(port, operation, key, writes: true, async () =>
        {
            await call();
            return true;
        }, cancellationToken);

    private async Task<T> InvokeAsync<T>(string port, string operation, string key, bool writes, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        Interlocked.Increment(ref _calls);
        var decision = Decide(port, operation, key, writes);
        if (decision.Kind == FaultKind.Slow)
        {
            Interlocked.Increment(ref _slow);
            await Task.Delay(decision.Delay, _time, cancellationToken);
        }
        else if (decision.Kind != FaultKind.None && !decision.AfterWrite)
        {
            throw Fault(decision, port, operation, key, "before");
        }
        var result = await call();
        if (decision.AfterWrite)
        {
            Interlocked.Increment(ref _afterWrite);
            throw Fault(decision, port, operation, key, "after");
        }
        return result;
    }

    private Exception Fault(FaultDecision decision, string port, string operation, string key, string moment)
    {
        var where = $"Injected fault {moment} {port}.{operation}({key})";
        switch (decision.Kind)
        {
            case FaultKind.Timeout:
                Interlocked.Increment(ref _timeouts);
                return new TimeoutException(where + ": timed out.");
            case FaultKind.Throttled:
                Interlocked.Increment(ref _throttled);
                return new ThrottledException(string.Create(CultureInfo.InvariantCulture,
                    $"{where}: {decision.StatusCode}, retry after {decision.Delay.TotalMilliseconds:0} ms."), decision.StatusCode, decision.Delay);
            default:
                Interlocked.Increment(ref _failures);
                return new InjectedFaultException(where + ": failed.");
        }
    }

    private static double Unit(ReadOnlySpan<byte> hash) => (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
}
