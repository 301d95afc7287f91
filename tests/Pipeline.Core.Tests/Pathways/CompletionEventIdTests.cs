using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;

namespace Pipeline.Core.Tests.Pathways;

public sealed class CompletionEventIdTests
{
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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

    [Fact]
    public void Canonical_form_and_id_of_text_that_needs_escaping_follow_the_documented_rules()
    {
        var completion = new CompletionEvent
        {
            Source = " sis:x\t ",
            LearnerId = "S<1>&'\"\u00e9",
            ActivityId = "课程 😀\n",
            CompletedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromMinutes(330)),
            Outcome = CompletionOutcome.Completed,
            Grade = null,
            Score = -12.3400m,
        };
        string[] fields = ["ce1", "sis:x", "S<1>&'\"\u00e9", "课程 😀", "2026-01-01T21:34:05.678Z", "completed", "", "-12.34"];
        var expected = JsonSerializer.Serialize(fields, RelaxedJson);

        Assert.Equal(expected, CompletionEventId.CanonicalForm(completion));
        Assert.Equal("ce1-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(expected)).AsSpan(0, 16)), completion.Id);
    }
}
