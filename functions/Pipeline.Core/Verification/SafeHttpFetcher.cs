using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Pipeline.Core.Verification;

/// <summary>A fetched document, or why it could not be fetched (in plain words).</summary>
public sealed record FetchResult(int StatusCode, byte[]? Content, string? Error)
{
    public bool Succeeded => Error is null && Content is not null;
}

/// <summary>
/// Fetches documents named by untrusted credentials (DID documents, JWK Sets, status lists, hosted assertions) without
/// letting them reach inside our network: HTTPS only, no proxy, every address the host name resolves to must be public
/// (<see cref="IsPublicAddress"/>) and the connection goes to exactly those checked addresses (so a DNS answer cannot
/// change between check and connect), at most <see cref="MaxBytes"/> read, <see cref="Timeout"/> in all, at most
/// three redirects (each re-checked). Successful answers are cached for <see cref="CacheFor"/>, at most
/// <see cref="MaxCacheEntries"/> of them. The embedded host, whose own public URLs are loopback <c>http</c> (the demo's
/// <c>http://localhost:5080</c>), names those origins as <see cref="TrustedLoopbackOrigins"/>: exactly those
/// scheme-host-port triples are fetched over http and may resolve to a loopback address; nothing else is. The Azure
/// app names none.
/// </summary>
public sealed class SafeHttpFetcher : IDisposable
{
    public const int MaxBytes = 256 * 1024;
    public const int MaxCacheEntries = 256;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(10);

    private readonly HttpClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, (DateTimeOffset ExpiresAt, FetchResult Result)> _cache = new(StringComparer.Ordinal);

    public SafeHttpFetcher(TimeProvider timeProvider)
        : this(timeProvider, new HashSet<(string, int)>(), handler: null)
    {
    }

    /// <summary>
    /// The embedded host's fetcher (a factory, not a constructor, so dependency injection never picks it by itself).
    /// </summary>
    /// <param name="timeProvider">The clock of the cache.</param>
    /// <param name="trustedLoopbackOrigins">Loopback http origins of this host's own public URLs (others are ignored): fetched although http and loopback.</param>
    public static SafeHttpFetcher TrustingLoopbackOrigins(TimeProvider timeProvider, IEnumerable<Uri> trustedLoopbackOrigins) =>
        new(timeProvider, LoopbackOrigins(trustedLoopbackOrigins), handler: null);

    /// <summary>For tests: a handler that answers without the network (the address checks live in <see cref="CreateHandler"/>).</summary>
    internal SafeHttpFetcher(TimeProvider timeProvider, HttpMessageHandler handler)
        : this(timeProvider, new HashSet<(string, int)>(), handler)
    {
    }

    private SafeHttpFetcher(TimeProvider timeProvider, IReadOnlySet<(string Host, int Port)> trusted, HttpMessageHandler? handler)
    {
        _timeProvider = timeProvider;
        TrustedLoopbackOrigins = [.. trusted.Select(o => new Uri($"http://{o.Host}:{o.Port}/"))];
        handler ??= CreateHandler(trusted);
        _client = new HttpClient(handler) { Timeout = Timeout, MaxResponseContentBufferSize = MaxBytes };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("credential-pipeline-verifier/1.0");
    }

    /// <summary>The loopback http origins this fetcher fetches besides public https URLs (none unless the embedded host names its own).</summary>
    public IReadOnlyList<Uri> TrustedLoopbackOrigins { get; }

    /// <summary>Whether <paramref name="url"/> is one this fetcher would try: https, or http on a <see cref="TrustedLoopbackOrigins"/> origin.</summary>
    public bool Fetches(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps
            || (url.Scheme == Uri.UriSchemeHttp && TrustedLoopbackOrigins.Any(o => o.Host == url.Host && o.Port == url.Port)));
    }

    /// <summary>GETs <paramref name="url"/> (HTTPS only, or a trusted loopback origin) accepting <paramref name="accept"/> (an Accept header value, one or more media types); a non-2xx answer is a result with its status and no content.</summary>
    public async Task<FetchResult> GetAsync(Uri url, string accept, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Fetches(url))
        {
            return new FetchResult(0, null, $"{url} is not an https URL; only https is fetched.");
        }
        var key = accept + " " + url.AbsoluteUri;
        var now = _timeProvider.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Result;
        }
        var result = await FetchAsync(url, accept, cancellationToken);
        if (result.Succeeded)
        {
            if (_cache.Count >= MaxCacheEntries)
            {
                foreach (var stale in _cache.Where(e => e.Value.ExpiresAt <= now).Select(e => e.Key).ToList())
                {
                    _cache.TryRemove(stale, out _);
                }
                if (_cache.Count >= MaxCacheEntries)
                {
                    _cache.Clear();
                }
            }
            _cache[key] = (now + CacheFor, result);
        }
        return result;
    }

    private async Task<FetchResult> FetchAsync(Uri url, string accept, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new FetchResult((int)response.StatusCode, null, $"{url} answered {(int)response.StatusCode}.");
            }
            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                return new FetchResult((int)response.StatusCode, null, $"{url} is larger than {MaxBytes} bytes.");
            }
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new byte[MaxBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), timeout.Token)) > 0)
            {
                total += read;
            }
            return total > MaxBytes
                ? new FetchResult((int)response.StatusCode, null, $"{url} is larger than {MaxBytes} bytes.")
                : new FetchResult((int)response.StatusCode, buffer[..total], null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new FetchResult(0, null, $"{url} did not answer within {Timeout.TotalSeconds:0} seconds.");
        }
        catch (HttpRequestException e)
        {
            return new FetchResult(0, null, Refusal(e) is { } refused ? refused.Message : $"{url} could not be fetched: {Why(e.HttpRequestError)}.");
        }
    }

    /// <summary>Our own refusal of an address, wherever the handler wrapped it.</summary>
    private static AddressRefusedException? Refusal(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is AddressRefusedException refused)
            {
                return refused;
            }
        }
        return null;
    }

    /// <summary>A host this fetcher will not contact (no address, or one that is not public); its message is in our words.</summary>
    private sealed class AddressRefusedException(string message) : HttpRequestException(message);

    /// <summary>Why a request failed, in our words (the handler's own message names types and sockets).</summary>
    internal static string Why(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "its host name does not resolve",
        HttpRequestError.ConnectionError => "no connection could be made to its host",
        HttpRequestError.SecureConnectionError => "no secure (TLS) connection could be made: the certificate or the handshake failed",
        HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse => "the server's answer is not valid HTTP",
        HttpRequestError.ResponseEnded => "the server closed the connection before the answer ended",
        HttpRequestError.ConfigurationLimitExceeded => "the answer's headers are over the size allowed",
        HttpRequestError.ProxyTunnelError or HttpRequestError.UserAuthenticationError or HttpRequestError.VersionNegotiationError
            or HttpRequestError.ExtendedConnectNotSupported => "the server cannot be reached the way this verifier connects (HTTPS, no proxy)",
        _ => "the request failed",
    };

    /// <summary>
    /// False for every address that is not on the public internet: unspecified, loopback, private (10/8, 172.16/12,
    /// 192.168/16, fc00::/7), carrier-grade NAT (100.64/10), link-local (169.254/16, fe80::/10), site-local,
    /// multicast, broadcast, reserved (0/8, 240/4), documentation and benchmarking ranges, and IPv6 transition
    /// prefixes that embed an IPv4 address (IPv4-mapped addresses are judged as their IPv4 address).
    /// </summary>
    public static bool IsPublicAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && b[1] is >= 64 and <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 198 && b[1] is 18 or 19)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }
        var v6 = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Loopback) || address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal
            || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal || address.IsIPv6Teredo)
        {
            return false;
        }
        var embedsIpv4 = (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b) || (v6[0] == 0x20 && v6[1] == 0x02);
        var documentation = v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8;
        var compatible = v6.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        return (v6[0] & 0xe0) == 0x20 && !embedsIpv4 && !documentation && !compatible;
    }

    /// <summary>The real handler: no proxy, no cookies, and a connect step that resolves, checks and dials the checked addresses.</summary>
    internal static SocketsHttpHandler CreateHandler() => CreateHandler(new HashSet<(string, int)>());

    private static SocketsHttpHandler CreateHandler(IReadOnlySet<(string Host, int Port)> trusted) => new()
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 3,
        ConnectTimeout = Timeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, cancellationToken) => ConnectToPublicAddressAsync(context, trusted, cancellationToken),
    };

    /// <summary>The host and port of each loopback http origin (<c>localhost</c>, 127.0.0.0/8, <c>::1</c>); other URLs are not trusted.</summary>
    private static HashSet<(string Host, int Port)> LoopbackOrigins(IEnumerable<Uri> origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        return [.. origins.Where(o => o.IsAbsoluteUri && o.Scheme == Uri.UriSchemeHttp && o.IsLoopback).Select(o => (o.Host, o.Port))];
    }

    private static async ValueTask<Stream> ConnectToPublicAddressAsync(SocketsHttpConnectionContext context, IReadOnlySet<(string Host, int Port)> trusted, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new AddressRefusedException($"{host} has no address.");
        }
        var loopbackTrusted = trusted.Contains((host, context.DnsEndPoint.Port)) && addresses.All(IPAddress.IsLoopback);
        if (!loopbackTrusted && addresses.FirstOrDefault(a => !IsPublicAddress(a)) is { } refused)
        {
            throw new AddressRefusedException($"{host} resolves to {refused}, which is not a public internet address; it is not contacted.");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _client.Dispose();
}
