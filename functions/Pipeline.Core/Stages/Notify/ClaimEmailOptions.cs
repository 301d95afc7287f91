using System.ComponentModel.DataAnnotations;

namespace Pipeline.Core.Stages.Notify;

/// <summary>Settings of the claim email (configuration section <c>ClaimEmail</c>).</summary>
public sealed class ClaimEmailOptions
{
    public const string Section = "ClaimEmail";

    /// <summary>How long a claim link works; an expired link offers the learner a new email.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The sender address; the issuer's own email when empty (the relay must allow it).</summary>
    [EmailAddress]
    public string? FromAddress { get; set; }
}
