using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;

namespace Pipeline.Core.Tests.Pathways;

/// <summary>The canonical-form details docs/catalog.md promises beyond the basic example.</summary>
public sealed class CompletionEventIdDocumentationTests
{
    private static CompletionEvent CreateEvent() => new()
    {
        Source = "queue",
        LearnerId = "S1001",
        ActivityId = "CS101",
        CompletedAt = new DateTimeOffset(2026, 12, 14, 14, 30, 0, TimeSpan.Zero).AddTicks(1_200_000),
        Outcome = CompletionOutcome.Completed,
        Score = -0.50m,
    };

    [Fact]
    public void Fractional_seconds_drop_trailing_zeros_and_scores_are_plain_invariant_numbers()
    {
        Assert.Equal(
            """["ce1","queue","S1001","CS101","2026-12-14T14:30:00.12Z","completed","","-0.5"]""",
            CompletionEventId.CanonicalForm(CreateEvent()));
    }

    [Fact]
    public void Non_ascii_text_is_raw_utf8_and_quotes_are_escaped()
    {
        var completion = CreateEvent() with { LearnerId = "Zoë \"Z\"", Grade = null, Score = null };
        Assert.Equal(
            """["ce1","queue","Zoë \"Z\"","CS101","2026-12-14T14:30:00.12Z","completed","",""]""",
            CompletionEventId.CanonicalForm(completion));
    }

    [Fact]
    public void Id_is_the_version_and_32_lower_case_hex_digits()
    {
        Assert.Matches("^ce1-[0-9a-f]{32}$", CreateEvent().Id);
    }
}
