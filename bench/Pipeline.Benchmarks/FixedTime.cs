namespace Pipeline.Benchmarks;

/// <summary>A clock stopped at one instant, so every iteration validates the same dates.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
