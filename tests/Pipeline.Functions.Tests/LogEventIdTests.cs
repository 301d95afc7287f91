using Pipeline.Core.Tests.TestData;

namespace Pipeline.Functions.Tests;

public sealed class LogEventIdTests
{
    [Fact]
    public void Every_log_message_of_the_functions_app_its_adapters_and_the_core_has_its_own_id_in_its_areas_range()
    {
        var problems = LogEventIds.Problems(LogEventIds.Declared("Pipeline.Core", "Pipeline.Azure", "Pipeline.Functions"));

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
