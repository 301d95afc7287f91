using Pipeline.Core.Storage;
namespace Pipeline.Azure.Email;

/// <summary>
/// A sliding-window limiter over two windows (a minute and an hour) that never refuses: each caller reserves the
/// earliest instant at which one more send fits in both windows, counting the sends and reservations before it, and
/// waits on the injected clock until then. Reservations are handed out in arrival order, so a burst is spread over the
/// windows. Only the instants inside the last hour are remembered (at most <c>perHour</c> of them).
/// </summary>
internal sealed class SendRateLimiter
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly int _perMinute;
    private readonly int _perHour;
    private readonly TimeSpan _maxWait;
    private readonly TimeProvider _clock;
    private readonly Queue<DateTimeOffset> _sends = new();
    private readonly Lock _lock = new();

    public SendRateLimiter(int perMinute, int perHour, TimeProvider clock, TimeSpan maxWait)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWait, TimeSpan.Zero);
        _maxWait = maxWait;
        ArgumentOutOfRangeException.ThrowIfLessThan(perMinute, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perHour, 1);
        ArgumentNullException.ThrowIfNull(clock);
        _perMinute = perMinute;
        _perHour = perHour;
        _clock = clock;
    }

    /// <summary>
    /// Waits until one more send fits in both windows. A cancelled wait keeps its slot (it errs on the slow side).
    /// When the wait would be longer than the configured maximum (an hourly quota used up), nothing is reserved and a
    /// <see cref="ThrottledException"/> says when to try again: the stage puts its message back with that delay
    /// instead of holding a function invocation (and its timeout) for up to an hour.
    /// </summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var delay = Reserve(_clock.GetUtcNow());
        return delay > TimeSpan.Zero ? Task.Delay(delay, _clock, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>
    /// Reserves the earliest instant <c>t ≥ now</c> with fewer than the limit of sends in <c>(t − window, t]</c> for
    /// both windows. Reservations only grow, so with sends <c>s₀ ≤ … ≤ sₙ₋₁ ≤ t</c> that is
    /// <c>t ≥ sₙ₋ₖ + window</c> for a limit of <c>k</c>.
    /// </summary>
    private TimeSpan Reserve(DateTimeOffset now)
    {
        lock (_lock)
        {
            while (_sends.TryPeek(out var oldest) && oldest + Hour <= now)
            {
                _sends.Dequeue();
            }
            var at = now;
            if (_sends.Count >= _perMinute)
            {
                at = Max(at, _sends.ElementAt(_sends.Count - _perMinute) + Minute);
            }
            if (_sends.Count >= _perHour)
            {
                at = Max(at, _sends.ElementAt(_sends.Count - _perHour) + Hour);
            }
            if (at - now > _maxWait)
            {
                throw new ThrottledException(
                    $"The Communication Services email quota ({_perMinute}/min, {_perHour}/h) is used up; the next send fits at {at:O}.",
                    429, at - now);
            }
            _sends.Enqueue(at);
            return at - now;
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
