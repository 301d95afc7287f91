using System.ComponentModel.DataAnnotations;

namespace Pipeline.Core.Http.ClaimLinks;

/// <summary>
/// Limits of <c>POST /claim</c> ("send me a new link", configuration section <c>ClaimLinks:RateLimit</c>): fixed windows
/// of <see cref="Window"/>, at most <see cref="PerAddressLimit"/> requests from one client IP address and at most
/// <see cref="PerEmailLimit"/> for one email address (whoever asks); more get 429 with <c>Retry-After</c>.
/// </summary>
public sealed class NewClaimLinkOptions
{
    public const string Section = "ClaimLinks:RateLimit";

    [Range(1, 10_000)]
    public int PerAddressLimit { get; set; } = 10;

    [Range(1, 1_000)]
    public int PerEmailLimit { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many addresses and emails are tracked at once; beyond it the expired windows are dropped, then all.</summary>
    [Range(100, 10_000_000)]
    public int MaxTrackedKeys { get; set; } = 100_000;
}
