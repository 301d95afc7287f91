namespace Pipeline.Core.Pathways;

/// <summary>The facts rules are evaluated over: a learner's completions by activity and the award times of achievements held.</summary>
internal sealed class FactSet
{
    private static readonly IReadOnlyList<CompletionEvent> None = [];

    private readonly Dictionary<string, List<CompletionEvent>> _byActivity;

    private FactSet(Dictionary<string, List<CompletionEvent>> byActivity, Dictionary<string, DateTimeOffset> earned)
    {
        _byActivity = byActivity;
        Earned = earned;
    }

    /// <summary>Award times of achievements held (grows as stacking is evaluated).</summary>
    public Dictionary<string, DateTimeOffset> Earned { get; }

    public static FactSet From(IEnumerable<CompletionEvent> events, Dictionary<string, DateTimeOffset> earned)
    {
        var byActivity = events
            .DistinctBy(e => e.Id, StringComparer.Ordinal)
            .GroupBy(e => e.ActivityId.Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Sorted(g), StringComparer.Ordinal);
        return new FactSet(byActivity, earned);
    }

    /// <summary>The completions of an activity, earliest first (ties by event id), so every choice is order-independent.</summary>
    public IReadOnlyList<CompletionEvent> For(string activityId) =>
        _byActivity.TryGetValue(activityId, out var events) ? events : None;

    /// <summary>Every moment a fact became true, ascending and distinct.</summary>
    public IEnumerable<DateTimeOffset> Moments() =>
        _byActivity.Values.SelectMany(e => e).Select(e => e.CompletedAt).Concat(Earned.Values).Distinct().Order();

    /// <summary>Only the facts from <paramref name="start"/> to <paramref name="end"/>, both included.</summary>
    public FactSet Window(DateTimeOffset start, DateTimeOffset end)
    {
        bool Inside(DateTimeOffset at) => at >= start && at <= end;
        var byActivity = _byActivity
            .Select(p => (p.Key, Events: p.Value.Where(e => Inside(e.CompletedAt)).ToList()))
            .Where(p => p.Events.Count > 0)
            .ToDictionary(p => p.Key, p => p.Events, StringComparer.Ordinal);
        var earned = Earned.Where(p => Inside(p.Value)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return new FactSet(byActivity, earned);
    }

    private static List<CompletionEvent> Sorted(IEnumerable<CompletionEvent> events) =>
        [.. events.OrderBy(e => e.CompletedAt).ThenBy(e => e.Id, StringComparer.Ordinal)];
}
