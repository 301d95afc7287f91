using Pipeline.Core.Pathways;

namespace Pipeline.Core.Tests.Pathways;

public sealed class CompletionEventIdTests
{
    private static CompletionEvent CreateEvent() => new()
    {
        Source = "sis:banner",
        LearnerId = "S1001",
        ActivityId = "CS101",
        CompletedAt = new DateTimeOffset(2026, 12, 14, 9, 30, 0, TimeSpan.FromHours(-5)),
        Outcome = CompletionOutcome.Passed,
        Grade = "B+",
        Score = 87.50m,
    };

    [Fact]
    public void Canonical_form_is_the_documented_json_array()
    {
        Assert.Equal(
            """["ce1","sis:banner","S1001","CS101","2026-12-14T14:30:00Z","passed","B+","87.5"]""",
            CompletionEventId.CanonicalForm(CreateEvent()));
    }

    [Fact]
    public void Same_fact_in_another_time_zone_and_with_padding_has_the_same_id()
    {
        var original = CreateEvent();
        var same = original with
        {
            LearnerId = " S1001 ",
            CompletedAt = original.CompletedAt.ToUniversalTime(),
            Score = 87.5000m,
        };
        Assert.Equal(original.Id, same.Id);
    }

    [Fact]
    public void Any_field_that_changes_the_fact_changes_the_id()
    {
        var original = CreateEvent();
        CompletionEvent[] others =
        [
            original with { Source = "webhook:moodle" },
            original with { LearnerId = "S1002" },
            original with { ActivityId = "CS102" },
            original with { CompletedAt = original.CompletedAt.AddSeconds(1) },
            original with { Outcome = CompletionOutcome.Failed },
            original with { Grade = "B" },
            original with { Score = null },
        ];
        Assert.All(others, other => Assert.NotEqual(original.Id, other.Id));
        Assert.Matches("^ce1-[0-9a-f]{32}$", original.Id);
    }
}
