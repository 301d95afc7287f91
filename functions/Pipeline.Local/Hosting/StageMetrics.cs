using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pipeline.Local.Hosting;

/// <summary>
/// The embedded host's stage instruments (meter <c>Pipeline.Local</c>): <c>pipeline.stage.duration</c>, a histogram of
/// handler wall time in milliseconds per message, tagged with the queue and whether it succeeded. Anything that
/// listens (dotnet-counters, the bench command's <see cref="System.Diagnostics.Metrics.MeterListener"/>) sees it;
/// nothing is recorded when nobody listens.
/// </summary>
internal sealed class StageMetrics : IDisposable
{
    public const string MeterName = "Pipeline.Local";
    public const string StageDuration = "pipeline.stage.duration";

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _duration;

    public StageMetrics()
    {
        _duration = _meter.CreateHistogram<double>(StageDuration, unit: "ms", description: "Wall time of one stage handler run.");
    }

    public void RecordStage(string queue, long startTimestamp, bool succeeded)
    {
        if (_duration.Enabled)
        {
            _duration.Record(
                Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds,
                new KeyValuePair<string, object?>("queue", queue),
                new KeyValuePair<string, object?>("succeeded", succeeded));
        }
    }

    public void Dispose() => _meter.Dispose();
}
