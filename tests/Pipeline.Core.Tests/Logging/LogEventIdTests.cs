using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Logging;

public sealed class LogEventIdTests
{
    [Fact]
    public void Every_log_message_of_the_core_has_its_own_id_in_its_areas_range()
    {
        var problems = LogEventIds.Problems(LogEventIds.Declared("Pipeline.Core"));

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_areas_ranges_do_not_overlap()
    {
        var overlaps = LogEventIds.Ranges
            .SelectMany(a => LogEventIds.Ranges.Where(b => string.CompareOrdinal(a.Namespace, b.Namespace) < 0
                && a.First <= b.Last && b.First <= a.Last)
                .Select(b => a.Namespace + " and " + b.Namespace))
            .ToList();

        Assert.True(overlaps.Count == 0, string.Join(Environment.NewLine, overlaps));
    }
}
