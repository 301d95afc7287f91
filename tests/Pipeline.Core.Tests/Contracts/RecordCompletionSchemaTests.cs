using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core.Contracts;
using Pipeline.Core.Pathways;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Contracts;

public sealed class RecordCompletionSchemaTests
{
    private static readonly RecordCompletion Message = new()
    {
        CorrelationId = "test#1",
        Completion = Completions.Passed("DAT101", "2026-12-18", score: 88),
        Learner = new LearnerProfile { LearnerId = Completions.Learner, Email = "s1001@example.edu", GivenName = "Ada" },
    };

    private static JsonObject Encoded() => JsonNode.Parse(StageMessages.ToCompletions(Message).Body)!.AsObject();

    [Fact]
    public void DecodeRecordCompletion_reads_what_the_pipeline_writes() =>
        Assert.Equal(Message.Completion.Id, StageMessages.DecodeRecordCompletion(StageMessages.ToCompletions(Message).Body).Completion.Id);

    [Fact]
    public void The_published_schema_file_is_the_embedded_one() =>
        Assert.Equal(
            File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "schemas", ContractSchemas.RecordCompletionV1)),
            ContractSchemas.ReadText(ContractSchemas.RecordCompletionV1));

    [Theory]
    [InlineData("/learner/email", "\"not-an-email\"")]
    [InlineData("/completion/outcome", "\"Excellent\"")]
    [InlineData("/completion/completedAt", "\"18/12/2026\"")]
    [InlineData("/completion/activityId", "\" \"")]
    [InlineData("/completion/extra", "1")]
    public void A_schema_violation_is_invalid_at_its_JSON_pointer(string at, string value)
    {
        var body = Encoded();
        var parts = at.Split('/')[1..];
        body[parts[0]]!.AsObject()[parts[1]] = JsonNode.Parse(value);

        var error = Assert.Throws<InvalidMessageException>(() => StageMessages.DecodeRecordCompletion(body.ToJsonString()));

        Assert.Equal(at, error.JsonPointer);
        Assert.Contains(at, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1234567890123456789012345678901")]
    [InlineData("1e29")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    public void A_score_a_decimal_cannot_hold_is_invalid_naming_the_score_never_read_as_absent(string score)
    {
        var body = StageMessages.ToCompletions(Message).Body.Replace("\"score\":88", $"\"score\":{score}", StringComparison.Ordinal);
        Assert.Contains(score, body, StringComparison.Ordinal);

        var error = Assert.Throws<InvalidMessageException>(() => StageMessages.DecodeRecordCompletion(body));

        Assert.Contains("score", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("learner", "givenName", "Ada\r\nBcc: x@example.edu", "/learner/givenName: expected text without control characters (U+000D at character 4)")]
    [InlineData("learner", "familyName", "\u202Eecalevol", "/learner/familyName: expected text without bidirectional overrides or isolates (U+202E at character 1)")]
    [InlineData("completion", "grade", "A\u0000", "/completion/grade: expected text without control characters (U+0000 at character 2)")]
    public void A_text_field_with_a_control_character_or_a_bidi_override_is_invalid_naming_it(string parent, string field, string value, string expected)
    {
        var body = Encoded();
        body[parent]!.AsObject()[field] = value;

        var error = Assert.Throws<InvalidMessageException>(() => StageMessages.DecodeRecordCompletion(body.ToJsonString()));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_on_the_queue_are_normalised_to_NFC_and_bounded()
    {
        var body = Encoded();
        body["learner"]!.AsObject()["givenName"] = "Zoe\u0308";
        var tooLong = Encoded();
        tooLong["learner"]!.AsObject()["familyName"] = new string('x', TextFields.MaxNameLength + 1);

        Assert.Equal("Zo\u00EB", StageMessages.DecodeRecordCompletion(body.ToJsonString()).Learner.GivenName);
        Assert.Contains("/learner/familyName: expected at most 200 characters (201 found)",
            Assert.Throws<InvalidMessageException>(() => StageMessages.DecodeRecordCompletion(tooLong.ToJsonString())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_learner_is_invalid_at_the_root()
    {
        var body = Encoded();
        body.Remove("learner");

        var error = Assert.Throws<InvalidMessageException>(() => StageMessages.DecodeRecordCompletion(body.ToJsonString()));

        Assert.Equal("", error.JsonPointer);
        Assert.Contains("learner", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_schema_version_is_invalid_and_says_which_this_pipeline_reads()
    {
        var body = Encoded();
        body["schemaVersion"] = 2;

        var error = Assert.Throws<InvalidMessageException>(() => StageMessages.DecodeRecordCompletion(body.ToJsonString()));

        Assert.Equal("/schemaVersion", error.JsonPointer);
        Assert.Contains("reads 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_JSON_is_invalid() =>
        Assert.IsType<JsonException>(Assert.Throws<InvalidMessageException>(() => StageMessages.DecodeRecordCompletion("{")).InnerException, exactMatch: false);
}
