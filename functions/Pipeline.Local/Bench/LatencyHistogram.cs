namespace Pipeline.Local.Bench;

/// <summary>
/// A fixed-size latency histogram: log-spaced buckets 5% apart from 1 µs to beyond an hour, so memory does not grow
/// with the number of samples and a percentile is exact to within 5%. Thread-safe.
/// </summary>
internal sealed class LatencyHistogram
{
    private const double LowestMilliseconds = 0.001;
    private const double Ratio = 1.05;
    private const int Buckets = 512;
    private static readonly double LogRatio = Math.Log(Ratio);

    private readonly long[] _counts = new long[Buckets];
    private long _total;

    public long Count => Interlocked.Read(ref _total);

    public void Record(double milliseconds)
    {
        var bucket = milliseconds <= LowestMilliseconds ? 0 : (int)Math.Min(Buckets - 1, Math.Ceiling(Math.Log(milliseconds / LowestMilliseconds) / LogRatio));
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Increment(ref _total);
    }

    /// <summary>The upper bound of the bucket holding the <paramref name="percentile"/>-th sample (0–100); 0 when empty.</summary>
    public double Percentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var total = Count;
        if (total == 0)
        {
            return 0;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(total * percentile / 100));
        long seen = 0;
        for (var bucket = 0; bucket < Buckets; bucket++)
        {
            seen += Interlocked.Read(ref _counts[bucket]);
            if (seen >= rank)
            {
                return LowestMilliseconds * Math.Pow(Ratio, bucket);
            }
        }
        return LowestMilliseconds * Math.Pow(Ratio, Buckets - 1);
    }
}
