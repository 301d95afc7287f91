using System.Text.Json;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Pathways;

namespace Pipeline.Core.Tests.Contracts;

public sealed class RecordCompletionJsonTests
{
    public static TheoryData<string> Messages() => [.. Cases.Keys];

    private static readonly Dictionary<string, RecordCompletion> Cases = new(StringComparer.Ordinal)
    {
        ["every field"] = Message(
            new CompletionEvent
            {
                Source = "sis:banner",
                LearnerId = "S1001",
                ActivityId = "CS101",
                CompletedAt = new DateTimeOffset(2026, 12, 14, 9, 30, 0, TimeSpan.FromHours(-5)),
                Outcome = CompletionOutcome.Passed,
                Grade = "B+",
                Score = 87.50m,
            },
            new LearnerProfile { LearnerId = "S1001", Email = "ada@example.edu", GivenName = "Ada", FamilyName = "Lovelace" }),
        ["no optional field"] = Message(
            new CompletionEvent
            {
                Source = "sis:canvas",
                LearnerId = "L-7",
                ActivityId = "edlab-empathy-assessment",
                CompletedAt = new DateTimeOffset(2026, 5, 1, 0, 0, 0, 123, TimeSpan.Zero).AddTicks(4567),
                Outcome = CompletionOutcome.Completed,
            },
            new LearnerProfile { LearnerId = "L-7", Email = "l7@example.edu" }),
        ["text that must be escaped"] = Message(
            new CompletionEvent
            {
                Source = "sis:x",
                LearnerId = " S<1>&'\"\\ ",
                ActivityId = "Ünïcödé 课程 😀",
                CompletedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromMinutes(330)),
                Outcome = CompletionOutcome.Failed,
                Grade = "\t",
                Score = -0.000100m,
            },
            new LearnerProfile { LearnerId = "x", Email = "josé+tag@例え.jp", GivenName = " ", FamilyName = "Ó'Brien\n" }),
        ["an outcome without a name"] = Message(
            new CompletionEvent
            {
                Source = "queue",
                LearnerId = "S2",
                ActivityId = "A",
                CompletedAt = DateTimeOffset.UnixEpoch,
                Outcome = (CompletionOutcome)7,
                Score = 79228162514264337593543950335m,
            },
            new LearnerProfile { LearnerId = "S2", Email = "s2@example.edu", FamilyName = "Only" }),
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Serialize_writes_what_the_contracts_serializer_writes(string name)
    {
        var message = Cases[name];

        var written = RecordCompletionJson.Serialize(message, message.Completion.Id);

        Assert.Equal(JsonSerializer.Serialize(message, ContractsJsonContext.Default.RecordCompletion), written);
    }

    private static RecordCompletion Message(CompletionEvent completion, LearnerProfile learner) =>
        new() { CorrelationId = "sis:sis-inbox/t.csv#2", Completion = completion, Learner = learner };
}
