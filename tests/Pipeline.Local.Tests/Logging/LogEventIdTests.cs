using Pipeline.Core.Tests.TestData;

namespace Pipeline.Local.Tests.Logging;

public sealed class LogEventIdTests
{
    [Fact]
    public void Every_log_message_of_the_embedded_host_and_the_core_has_its_own_id_in_its_areas_range()
    {
        var problems = LogEventIds.Problems(LogEventIds.Declared("Pipeline.Core", "Pipeline.Local"));

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
