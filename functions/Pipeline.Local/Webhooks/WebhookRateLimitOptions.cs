using System.ComponentModel.DataAnnotations;

namespace Pipeline.Local.Webhooks;

/// <summary>
/// Rate limit of <c>POST /webhooks/{partner}</c> in the embedded host (section <c>Webhooks:RateLimit</c>): a fixed window
/// of <see cref="Window"/> allowing <see cref="PermitLimit"/> deliveries per partner and client address; more get 429
/// with Retry-After.
/// </summary>
internal sealed class WebhookRateLimitOptions
{
    public const string Section = "Webhooks:RateLimit";

    [Range(1, 100_000)]
    public int PermitLimit { get; set; } = 120;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
