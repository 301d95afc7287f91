using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Pipeline.Core.Http;

namespace Pipeline.Local.Hosting;

/// <summary>
/// The embedded host's limits against hostile clients (section <c>Pipeline:Http</c>, docs/reliability.md): Kestrel's
/// body size and slow-client limits, explicit rather than inherited defaults, and a per-address limit on
/// <c>GET /claim/{token}</c> against token guessing.
/// </summary>
internal sealed class HttpLimitsOptions
{
    public const string Section = "Pipeline:Http";

    /// <summary>The largest request body; above it, 413. Above the verify API's 5 MiB upload plus a form's overhead.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxRequestBodySize { get; set; } = 8 * 1024 * 1024;

    /// <summary>How long a client may take to send the request line and headers; then the connection is closed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The slowest body upload tolerated, in bytes per second, after <see cref="MinRequestBodyDataRateGracePeriod"/>.</summary>
    [Range(1, 1024 * 1024)]
    public double MinRequestBodyDataRate { get; set; } = 240;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan MinRequestBodyDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Claim page requests allowed per client address per <see cref="ClaimWindow"/>; more get 429 with Retry-After.</summary>
    [Range(1, 100_000)]
    public int ClaimPermitLimit { get; set; } = 30;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ClaimWindow { get; set; } = TimeSpan.FromMinutes(1);
}

internal static class HttpLimits
{
    private const string ClaimPrefix = "/claim";

    /// <summary>Applies <see cref="HttpLimitsOptions"/> to Kestrel and adds the claim limiter (after the webhooks' limiter).</summary>
    public static IServiceCollection AddHttpLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpLimitsOptions>().Bind(configuration.GetSection(HttpLimitsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<HttpLimitsOptions>>((kestrel, options) =>
        {
            var limits = options.Value;
            kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodySize;
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyDataRate, limits.MinRequestBodyDataRateGracePeriod);
        });
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<HttpLimitsOptions>>((limiter, options) =>
        {
            var limits = options.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsClaim(context.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limits.ClaimPermitLimit,
                        Window = limits.ClaimWindow,
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(string.Empty));
            var otherRejections = limiter.OnRejected;
            limiter.OnRejected = (context, cancellationToken) => IsClaim(context.HttpContext.Request)
                ? new ValueTask(WriteClaimRateLimitedAsync(context.HttpContext, context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null))
                : otherRejections?.Invoke(context, cancellationToken) ?? ValueTask.CompletedTask;
        });
        return services;
    }

    /// <summary>
    /// Turns Kestrel's "body too large" (thrown while an endpoint reads a body over
    /// <see cref="HttpLimitsOptions.MaxRequestBodySize"/>) into a 413 problem, as the verify API writes its own.
    /// </summary>
    public static IApplicationBuilder UseBodySizeProblems(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            var limit = context.RequestServices.GetRequiredService<IOptions<HttpLimitsOptions>>().Value.MaxRequestBodySize;
            await Problems.Write(context.Request, ProblemTypes.PayloadTooLarge, $"The request body is larger than this server accepts ({limit} bytes).").ExecuteAsync(context);
        }
    });

    private static bool IsClaim(HttpRequest request) => HttpMethods.IsGet(request.Method) && request.Path.StartsWithSegments(ClaimPrefix, StringComparison.Ordinal);

    private static async Task WriteClaimRateLimitedAsync(HttpContext context, TimeSpan? retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((retryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.Write(context.Request, ProblemTypes.RateLimited,
            $"Too many claim page requests from this address; retry after {seconds} seconds.").ExecuteAsync(context);
    }
}
