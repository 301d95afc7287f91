using System.ComponentModel.DataAnnotations;

namespace Pipeline.Faults;

/// <summary>
/// Fault injection around every port (configuration section <c>Faults</c>; off unless <see cref="Rate"/> or
/// <see cref="DuplicateRate"/> is above zero). Each call draws its fate from <see cref="Seed"/> and what it is about
/// (port, operation, key, how many times that key was tried), so a failing run replays with the same seed.
/// </summary>
public sealed class FaultOptions
{
    public const string Section = "Faults";

    /// <summary>Share of port calls that fail, are throttled, time out or are slowed (0 disables).</summary>
    [Range(0.0, 1.0)]
    public double Rate { get; set; }

    /// <summary>Share of sent queue messages delivered twice; by default the same as <see cref="Rate"/>.</summary>
    [Range(0.0, 1.0)]
    public double? DuplicateRate { get; set; }

    public int Seed { get; set; }

    /// <summary>The longest delay of a slowed call.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxSlowDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest Retry-After a throttled call asks for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMilliseconds(200);

    public double EffectiveDuplicateRate => DuplicateRate ?? Rate;

    public bool Enabled => Rate > 0 || EffectiveDuplicateRate > 0;
}
