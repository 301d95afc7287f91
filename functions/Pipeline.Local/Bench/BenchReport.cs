using System.Text.Json.Serialization;

namespace Pipeline.Local.Bench;

/// <summary>What one bench run measured; printed as a table and as JSON (<see cref="BenchJsonContext"/>).</summary>
internal sealed record BenchReport
{
    public required string Machine { get; init; }
    public required int ProcessorCount { get; init; }
    public required int Learners { get; init; }
    public required int Rows { get; init; }
    public required int RowsAccepted { get; init; }
    public required int Credentials { get; init; }
    public required int Emails { get; init; }
    public required int Poisoned { get; init; }
    public required double IngestSeconds { get; init; }
    public required double DrainSeconds { get; init; }
    public required double WallSeconds { get; init; }
    public required double RowsPerSecond { get; init; }
    public required double CredentialsPerSecond { get; init; }
    public required double EmailsPerSecond { get; init; }
    public required IReadOnlyList<StageLatency> Stages { get; init; }
    /// <summary>The peak resident set over <see cref="PeakRssScope"/>.</summary>
    public required double PeakRssMegabytes { get; init; }
    /// <summary>"ingest + drain" (the count restarted after the term was written), or "process" where it cannot be restarted.</summary>
    public required string PeakRssScope { get; init; }
    /// <summary>The process's peak resident set up to the generated term written (the bench's own work, not the pipeline's).</summary>
    public required double TermPeakRssMegabytes { get; init; }
    public required double CpuSeconds { get; init; }
    public required string SignAlgorithm { get; init; }
    public required double SignOnlyPerSecond { get; init; }
    /// <summary>End-to-end credentials/s divided by the sign-only rate on the same cores.</summary>
    public required double RatioToSignOnly { get; init; }
}

internal sealed record StageLatency(string Stage, long Count, double P50Milliseconds, double P95Milliseconds);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
