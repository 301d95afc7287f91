using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Pipeline.Local.Hosting;

namespace Pipeline.Local.Bench;

/// <summary>Listens to <see cref="StageMetrics.StageDuration"/> and keeps one <see cref="LatencyHistogram"/> per queue.</summary>
internal sealed class StageLatencyRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, LatencyHistogram> _byQueue = new(StringComparer.Ordinal);

    public StageLatencyRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StageMetrics.MeterName && instrument.Name == StageMetrics.StageDuration)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    public LatencyHistogram For(string queue) => _byQueue.GetOrAdd(queue, _ => new LatencyHistogram());

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, double milliseconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        foreach (var tag in tags)
        {
            if (tag is { Key: "queue", Value: string queue })
            {
                For(queue).Record(milliseconds);
                return;
            }
        }
    }
}
