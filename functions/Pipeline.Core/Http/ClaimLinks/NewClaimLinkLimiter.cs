using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Pipeline.Core.Http.ClaimLinks;

/// <summary>
/// In-memory fixed-window counters for <c>POST /claim</c>, one per client address and one per normalised email
/// (<see cref="NewClaimLinkOptions"/>), timed by the <see cref="TimeProvider"/>. Per process: a scaled-out host limits
/// per instance.
/// </summary>
public sealed class NewClaimLinkLimiter(IOptions<NewClaimLinkOptions> options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>
    /// Counts one request from <paramref name="clientAddress"/> for <paramref name="normalisedEmail"/>; null when both
    /// are within their limits, else how long until the exhausted window ends. A refused request counts for neither.
    /// </summary>
    public TimeSpan? TryAcquire(string clientAddress, string normalisedEmail)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        ArgumentNullException.ThrowIfNull(normalisedEmail);
        var settings = options.Value;
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            if (_windows.Count >= settings.MaxTrackedKeys)
            {
                foreach (var stale in _windows.Where(w => w.Value.EndsAt <= now).Select(w => w.Key).ToList())
                {
                    _windows.TryRemove(stale, out _);
                }
                if (_windows.Count >= settings.MaxTrackedKeys)
                {
                    _windows.Clear();
                }
            }
            var address = Current("ip:" + clientAddress, now, settings.Window);
            var email = Current("email:" + normalisedEmail, now, settings.Window);
            if (address.Count >= settings.PerAddressLimit)
            {
                return address.EndsAt - now;
            }
            if (email.Count >= settings.PerEmailLimit)
            {
                return email.EndsAt - now;
            }
            _windows["ip:" + clientAddress] = address with { Count = address.Count + 1 };
            _windows["email:" + normalisedEmail] = email with { Count = email.Count + 1 };
            return null;
        }
    }

    private Window Current(string key, DateTimeOffset now, TimeSpan length) =>
        _windows.TryGetValue(key, out var window) && window.EndsAt > now ? window : new Window(now + length, 0);

    private sealed record Window(DateTimeOffset EndsAt, int Count);
}
