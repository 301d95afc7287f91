using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Pipeline.Core.Http;
using Pipeline.Core.Stages.Webhooks;
using Pipeline.Local.Hosting;

namespace Pipeline.Local.Webhooks;

/// <summary>
/// The embedded host's webhooks: file-kept partner secrets, the endpoint, and a fixed-window limiter per partner and
/// client address. The limiter runs before the signature is checked, so keying it on the partner alone would let anyone
/// who knows a partner's name use up that partner's window with unsigned posts; per (partner, address) a flood only
/// limits its own source.
/// </summary>
internal static class WebhookServiceCollectionExtensions
{
    public const string RateLimitPolicy = "webhooks-per-partner";

    public static IServiceCollection AddLocalWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookRateLimitOptions>().Bind(configuration.GetSection(WebhookRateLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new PartnerSecretStore(sp.GetRequiredService<LocalPaths>().PartnerSecrets, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IPartnerSecrets>(sp => sp.GetRequiredService<PartnerSecretStore>());
        services.AddPipelineWebhooks();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(RateLimitPolicy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<WebhookRateLimitOptions>>().Value;
                var partner = context.Request.RouteValues["partner"] as string ?? string.Empty;
                var address = context.Connection.RemoteIpAddress?.ToString() ?? string.Empty;
                return RateLimitPartition.GetFixedWindowLimiter((partner, address), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitLimit,
                    Window = options.Window,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = (context, _) => new ValueTask(WebhookProblems.WriteRateLimitedAsync(context.HttpContext,
                context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null));
        });
        return services;
    }
}
