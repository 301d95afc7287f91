using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Pathways;
using Pipeline.Core.Stages.Webhooks;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Stages.Webhooks;

public sealed class ReceiveWebhookHandlerTests
{
    private const string Secret = "whsec_test";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 18, 17, 0, 0, TimeSpan.Zero));
    private readonly RecordingMessageSender _sender = new();

    private static readonly Partner Mapped = new()
    {
        Id = "workforce-board",
        Name = "Workforce board",
        Payload = PartnerPayload.Pipeline,
        Learners = new PartnerIdMapping { Map = new Dictionary<string, string> { ["wb-7"] = "ada@maine.example.edu" } },
        Activities = new PartnerIdMapping { Prefix = "LDR" },
        EmailIsLearnerId = true,
    };

    private ReceiveWebhookHandler CreateSut()
    {
        var sample = SampleCatalog.Catalog;
        var catalog = new PipelineCatalog(sample.RootPath, sample.Issuers.Values, sample.Achievements.Values, sample.GradeScales.Values,
            sample.DefaultGradeScale?.Name, sample.Activities.Values, sample.SisMaps, [.. sample.Partners.Values, Mapped]);
        return new ReceiveWebhookHandler(catalog, new Secrets(), _sender, _time, NullLogger<ReceiveWebhookHandler>.Instance);
    }

    private Task<WebhookOutcome> PostAsync(string partner, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return CreateSut().HandleAsync(partner, timestamp, WebhookSignature.Compute(Secret, timestamp, bytes), bytes, CancellationToken.None);
    }

    [Theory]
    [InlineData("northwind-bootcamp")]
    [InlineData("arizona-lms")]
    [InlineData("umaine-moodle")]
    public async Task A_signed_body_with_a_byte_that_is_not_utf8_in_a_name_is_refused_as_malformed_not_thrown(string partner)
    {
        // Found by the webhook fuzz target (tests/Pipeline.Fuzz/corpus/webhook/crash-invalid-utf8-in-a-name.bin).
        byte[] bytes = [.. "{\"le"u8, 0x9E, .. "rner\": 1}"u8];
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        var outcome = await CreateSut().HandleAsync(partner, timestamp, WebhookSignature.Compute(Secret, timestamp, bytes), bytes, CancellationToken.None);

        var refused = Assert.IsType<WebhookOutcome.Refused>(outcome);
        Assert.Equal((WebhookRefusal.MalformedJson, "The body is not JSON: it is not UTF-8 at byte 5."), (refused.Reason, refused.Detail));
        Assert.Empty(_sender.Sent);
    }

    [Fact]
    public async Task A_body_naming_a_member_twice_is_refused_as_malformed_not_read_with_the_other_member()
    {
        // Found by the webhook fuzz target (corpus/webhook/crash-pipeline-member-named-twice.bin): the schema saw one
        // "learner", the reader the other, which had no id: a KeyNotFoundException.
        const string body = """{"version": 1, "completions": [{"learner": {"id": "wb-7"}, "activityId": "110", "completedAt": "2026-12-18T16:00:00Z", "learner": {"dd": "02"}}]}""";

        var refused = Assert.IsType<WebhookOutcome.Refused>(await PostAsync("workforce-board", body));

        Assert.Equal(WebhookRefusal.MalformedJson, refused.Reason);
        Assert.Empty(_sender.Sent);
    }

    [Fact]
    public async Task A_number_beyond_what_a_decimal_holds_is_refused_at_its_location_not_thrown()
    {
        // Found by the webhook fuzz target (corpus/webhook/crash-version-beyond-decimal.bin): the schema library compares
        // numbers as decimal (here the "version" const) and threw a FormatException.
        const string body = """{"version": 1222222222222222222222222222222, "completions": [{"learner": {"id": "wb-7"}, "activityId": "110", "completedAt": "2026-12-18T16:00:00Z"}]}""";

        var refused = Assert.IsType<WebhookOutcome.Refused>(await PostAsync("workforce-board", body));

        Assert.Equal(WebhookRefusal.SchemaViolation, refused.Reason);
        Assert.Contains("at /version: a number between", refused.Detail, StringComparison.Ordinal);
        Assert.Contains("found 1222222222222222222222222222222", refused.Detail, StringComparison.Ordinal);
        Assert.Empty(_sender.Sent);
    }

    [Theory]
    [InlineData("1234567890123456789012345678901")]
    [InlineData("79228162514264337593543950336")]
    [InlineData("1e29")]
    [InlineData("1e400")]
    public async Task A_score_a_decimal_cannot_hold_rejects_its_item_naming_the_field_not_stored_empty(string score)
    {
        var outcome = Assert.IsType<WebhookOutcome.Received>(await PostAsync("workforce-board", Pipeline(
            Item("wb-7", "110"),
            Item("wb-7", "120").Replace("\"outcome\"", $"\"score\": {score}, \"outcome\"", StringComparison.Ordinal))));

        Assert.Equal([WebhookItemStatus.Accepted, WebhookItemStatus.Rejected], outcome.Items.Select(i => i.Status));
        Assert.Equal($"/completions/1/score: expected a number from -79228162514264337593543950335 to 79228162514264337593543950335, found {score}", outcome.Items[1].Reason);
        Assert.Equal(["LDR110"], Sent.Select(m => m.Completion.ActivityId));
    }

    [Fact]
    public async Task A_negative_score_beyond_a_decimal_is_refused_by_the_schema_at_its_location()
    {
        var refused = Assert.IsType<WebhookOutcome.Refused>(await PostAsync("workforce-board", Pipeline(
            Item("wb-7", "110").Replace("\"outcome\"", "\"score\": -1e400, \"outcome\"", StringComparison.Ordinal))));

        Assert.Equal((WebhookRefusal.SchemaViolation, "/completions/0/score"), (refused.Reason, refused.JsonPointer));
        Assert.Empty(_sender.Sent);
    }

    [Fact]
    public async Task A_score_within_a_decimal_is_stored_as_sent()
    {
        await PostAsync("workforce-board", Pipeline(Item("wb-7", "110").Replace("\"outcome\"", "\"score\": 7.9e28, \"outcome\"", StringComparison.Ordinal)));

        Assert.Equal(79_000_000_000_000_000_000_000_000_000m, Assert.Single(Sent).Completion.Score);
    }

    [Theory]
    [InlineData("1e29", "50", "/data/0/generated/scoreGiven")]
    [InlineData("39", "1e400", "/data/0/generated/maxScore")]
    [InlineData("39", "1234567890123456789012345678901", "/data/0/generated/maxScore")]
    public async Task A_Caliper_score_a_decimal_cannot_hold_rejects_its_item_naming_the_field(string given, string max, string field)
    {
        var grade = GradeEvent("a-1", "crs200-practical", given: 39, max: 50)
            .Replace("\"scoreGiven\": 39", $"\"scoreGiven\": {given}", StringComparison.Ordinal)
            .Replace("\"maxScore\": 50", $"\"maxScore\": {max}", StringComparison.Ordinal);

        var outcome = Assert.IsType<WebhookOutcome.Received>(await PostAsync("arizona-lms", Caliper(grade)));

        var item = Assert.Single(outcome.Items);
        Assert.Equal(WebhookItemStatus.Rejected, item.Status);
        Assert.StartsWith(field + ": expected a number from", item.Reason, StringComparison.Ordinal);
        Assert.Empty(_sender.Sent);
    }

    [Theory]
    [InlineData("givenName", "Ada\\r\\nBcc: everyone@example.edu", "text without control characters (U+000D at character 4)", "Ada<U+000D><U+000A>Bcc: everyone@example.edu")]
    [InlineData("givenName", "Ada\\u0000", "text without control characters (U+0000 at character 4)", "Ada<U+0000>")]
    [InlineData("familyName", "\\u202Eecalevol", "text without bidirectional overrides or isolates (U+202E at character 1)", "<U+202E>ecalevol")]
    [InlineData("familyName", "Love\\u2067lace", "text without bidirectional overrides or isolates (U+2067 at character 5)", "Love<U+2067>lace")]
    public async Task A_name_with_a_control_character_or_a_bidi_override_rejects_its_item_naming_the_field(string field, string json, string expected, string found)
    {
        var outcome = Assert.IsType<WebhookOutcome.Received>(await PostAsync("workforce-board", Pipeline(
            Item("wb-7", "110").Replace("\"id\": \"wb-7\"", $"\"id\": \"wb-7\", \"{field}\": \"{json}\"", StringComparison.Ordinal))));

        var item = Assert.Single(outcome.Items);
        Assert.Equal((WebhookItemStatus.Rejected, $"/completions/0/learner/{field}: expected {expected}, found \"{found}\""), (item.Status, item.Reason));
        Assert.Empty(_sender.Sent);
    }

    [Theory]
    [InlineData("\\ud800Ada")]
    [InlineData("Ada\\udc00")]
    [InlineData("\\udc00\\ud800")]
    public async Task A_string_escaping_half_a_surrogate_pair_is_refused_as_malformed_not_thrown(string name)
    {
        var refused = Assert.IsType<WebhookOutcome.Refused>(await PostAsync("workforce-board", Pipeline(
            Item("wb-7", "110").Replace("\"id\": \"wb-7\"", $"\"id\": \"wb-7\", \"givenName\": \"{name}\"", StringComparison.Ordinal))));

        Assert.Equal(WebhookRefusal.MalformedJson, refused.Reason);
        Assert.Contains("half of a UTF-16 surrogate pair", refused.Detail, StringComparison.Ordinal);
        Assert.Empty(_sender.Sent);
    }

    [Fact]
    public async Task Names_over_200_characters_and_ids_with_control_characters_reject_their_items_and_names_are_normalised_to_NFC()
    {
        var outcome = Assert.IsType<WebhookOutcome.Received>(await PostAsync("workforce-board", Pipeline(
            Item("wb-7", "110").Replace("\"id\": \"wb-7\"", $"\"id\": \"wb-7\", \"givenName\": \"{new string('a', 201)}\"", StringComparison.Ordinal),
            Item("wb-7", "1\\t10"),
            Item("wb-7", "120").Replace("\"id\": \"wb-7\"", "\"id\": \"wb-7\", \"givenName\": \"Zoe\\u0308\"", StringComparison.Ordinal))));

        Assert.Equal([WebhookItemStatus.Rejected, WebhookItemStatus.Rejected, WebhookItemStatus.Accepted], outcome.Items.Select(i => i.Status));
        Assert.StartsWith("/completions/0/learner/givenName: expected at most 200 characters (201 found)", outcome.Items[0].Reason, StringComparison.Ordinal);
        Assert.Equal("/completions/1/activityId: expected text without control characters (U+0009 at character 2), found \"1<U+0009>10\"", outcome.Items[1].Reason);
        Assert.Equal("Zo\u00EB", Assert.Single(Sent).Learner.GivenName);
    }

    [Fact]
    public async Task A_Caliper_id_with_a_control_character_rejects_its_item_naming_the_field()
    {
        var grade = GradeEvent("a-1", "crs200-practical", given: 39, max: 50).Replace("users/a-1", "users/a\\n-1", StringComparison.Ordinal);

        var outcome = Assert.IsType<WebhookOutcome.Received>(await PostAsync("arizona-lms", Caliper(grade)));

        Assert.StartsWith("/data/0/object/assignee/id: expected text without control characters", Assert.Single(outcome.Items).Reason, StringComparison.Ordinal);
        Assert.Empty(_sender.Sent);
    }

    [Theory]
    [InlineData("\"39\"", "50")]
    [InlineData("39", "\"50\"")]
    [InlineData("true", "50")]
    public async Task A_Caliper_score_that_is_not_a_number_is_a_rejected_item_not_a_crash(string given, string max)
    {
        // Found by the webhook fuzz target (corpus/webhook/crash-caliper-score-as-text.bin): TryGetDecimal throws on a string.
        var grade = GradeEvent("a-1", "crs200-practical", given: 39, max: 50)
            .Replace("\"scoreGiven\": 39", $"\"scoreGiven\": {given}", StringComparison.Ordinal)
            .Replace("\"maxScore\": 50", $"\"maxScore\": {max}", StringComparison.Ordinal);

        var outcome = await PostAsync("arizona-lms", Caliper(grade));

        Assert.IsType<WebhookOutcome.Received>(outcome);
    }

    [Fact]
    public async Task A_Moodle_integer_written_with_a_fraction_of_zero_is_read()
    {
        var outcome = await PostAsync("umaine-moodle", """{"eventname": "\\core\\event\\course_completed", "courseid": 7.0, "relateduserid": 42.0, "timecreated": 1763971200.0}""");

        Assert.Equal(WebhookItemStatus.Accepted, Assert.Single(Assert.IsType<WebhookOutcome.Received>(outcome).Items).Status);
    }

    private IReadOnlyList<RecordCompletion> Sent => [.. _sender.Sent.Select(m => StageMessages.DecodeRecordCompletion(m.Body))];

    [Fact]
    public async Task Caliper_GradeEvent_scores_as_a_percentage_against_the_passing_score_and_strips_the_IRIs()
    {
        var outcome = await PostAsync("arizona-lms", Caliper(GradeEvent("a-1", "crs200-practical", given: 39, max: 50), GradeEvent("a-2", "crs200-practical", given: 40, max: 50)));

        Assert.IsType<WebhookOutcome.Received>(outcome);
        Assert.Collection(Sent,
            m =>
            {
                Assert.Equal(("webhook:arizona-lms", "a-1", "CRS200", 78m, CompletionOutcome.Failed),
                    (m.Completion.Source, m.Completion.LearnerId, m.Completion.ActivityId, m.Completion.Score, m.Completion.Outcome));
                Assert.Equal("a-1@arizona.example.edu", m.Learner.Email);
            },
            m => Assert.Equal((80m, CompletionOutcome.Passed), (m.Completion.Score, m.Completion.Outcome)));
    }

    [Fact]
    public async Task Caliper_events_that_are_not_completions_are_rejected_per_item_and_the_others_accepted()
    {
        var viewed = """{"type": "AssessmentEvent", "action": "Started", "actor": "https://lms.arizona.example.edu/users/a-1", "object": "https://lms.arizona.example.edu/assessments/crs100-course", "eventTime": "2026-11-02T15:00:00Z"}""";
        var navigation = """{"type": "NavigationEvent", "action": "NavigatedTo", "actor": "https://lms.arizona.example.edu/users/a-1", "object": "https://lms.arizona.example.edu/x", "eventTime": "2026-11-02T15:00:00Z"}""";
        var submitted = """{"type": "AssessmentEvent", "action": "Submitted", "actor": {"id": "https://lms.arizona.example.edu/users/a-1", "type": "Person", "extensions": {"email": "Ada@Arizona.example.edu"}}, "object": "https://lms.arizona.example.edu/assessments/crs100-course", "eventTime": "2026-11-02T15:00:00Z"}""";

        var outcome = Assert.IsType<WebhookOutcome.Received>(await PostAsync("arizona-lms", Caliper(viewed, navigation, submitted)));

        Assert.Equal([WebhookItemStatus.Rejected, WebhookItemStatus.Rejected, WebhookItemStatus.Accepted], outcome.Items.Select(i => i.Status));
        Assert.Contains("action \"Started\"", outcome.Items[0].Reason, StringComparison.Ordinal);
        Assert.Contains("NavigationEvent", outcome.Items[1].Reason, StringComparison.Ordinal);
        var message = Assert.Single(Sent);
        Assert.Equal(("CRS100", CompletionOutcome.Completed, "ada@arizona.example.edu"), (message.Completion.ActivityId, message.Completion.Outcome, message.Learner.Email));
    }

    [Fact]
    public async Task Moodle_course_completed_maps_relateduserid_courseid_and_timecreated()
    {
        await PostAsync("umaine-moodle", """{"eventname": "\\core\\event\\course_completed", "courseid": 12, "relateduserid": 42, "userid": 2, "timecreated": 1766077200}""");

        var message = Assert.Single(Sent);
        Assert.Equal(("moodle-42", "DAT101", DateTimeOffset.FromUnixTimeSeconds(1766077200), CompletionOutcome.Passed, "moodle-42@maine.example.edu"),
            (message.Completion.LearnerId, message.Completion.ActivityId, message.Completion.CompletedAt, message.Completion.Outcome, message.Learner.Email));
    }

    [Fact]
    public async Task Unknown_learners_and_activities_are_reported_per_item_while_good_items_are_sent()
    {
        var outcome = Assert.IsType<WebhookOutcome.Received>(await PostAsync("workforce-board", Pipeline(
            Item("wb-7", "110"), Item("wb-8", "110"), Item("wb-7", "999"))));

        Assert.Equal([WebhookItemStatus.Accepted, WebhookItemStatus.Rejected, WebhookItemStatus.Rejected], outcome.Items.Select(i => i.Status));
        Assert.Equal("unknown learner \"wb-8\": not in the partner's learner map", outcome.Items[1].Reason);
        Assert.Equal("unknown activity \"999\" (ours: \"LDR999\"): no pathway in the catalog names it", outcome.Items[2].Reason);
        var message = Assert.Single(Sent);
        Assert.Equal(("ada@maine.example.edu", "ada@maine.example.edu", "LDR110"), (message.Completion.LearnerId, message.Learner.Email, message.Completion.ActivityId));
        Assert.Equal(message.Completion.Id, outcome.Items[0].EventId);
    }

    [Fact]
    public async Task An_item_without_an_email_is_rejected_when_the_partner_has_no_email_domain()
    {
        var outcome = Assert.IsType<WebhookOutcome.Received>(await PostAsync("northwind-bootcamp", Pipeline(
            """{"learner": {"id": "u-1"}, "activityId": "nw-data-foundations", "completedAt": "2026-11-20T16:00:00Z"}""")));

        Assert.Equal(WebhookItemStatus.Rejected, Assert.Single(outcome.Items).Status);
        Assert.StartsWith("no email address for learner \"u-1\"", outcome.Items[0].Reason, StringComparison.Ordinal);
        Assert.Empty(_sender.Sent);
    }

    [Fact]
    public async Task The_same_fact_twice_in_one_delivery_is_sent_once_and_a_replay_answers_the_same()
    {
        var body = Pipeline(Item("wb-7", "110"), Item("wb-7", "110"));

        var first = Assert.IsType<WebhookOutcome.Received>(await PostAsync("workforce-board", body));
        var replay = Assert.IsType<WebhookOutcome.Received>(await PostAsync("workforce-board", body));

        Assert.Equal([WebhookItemStatus.Accepted, WebhookItemStatus.Duplicate], first.Items.Select(i => i.Status));
        Assert.Equal(first.Items[0].EventId, first.Items[1].EventId);
        Assert.Equal(first.Items, replay.Items);
        Assert.Equal(2, _sender.Sent.Count);
        Assert.Single(_sender.Sent.Select(m => m.Body).Distinct());
    }

    [Fact]
    public async Task A_schema_violation_names_the_JSON_pointer_and_sends_nothing()
    {
        var refused = Assert.IsType<WebhookOutcome.Refused>(await PostAsync("northwind-bootcamp", Pipeline(
            """{"learner": {"id": "u-1", "email": "u-1@example.edu"}, "activityId": "nw-data-foundations", "completedAt": "2026-11-20T16:00:00Z", "outcome": "excellent"}""")));

        Assert.Equal((WebhookRefusal.SchemaViolation, "/completions/0/outcome"), (refused.Reason, refused.JsonPointer));
        Assert.Empty(_sender.Sent);
    }

    [Fact]
    public async Task A_delivery_signed_more_than_five_minutes_ago_is_stale()
    {
        var bytes = Encoding.UTF8.GetBytes(Pipeline(Item("wb-7", "110")));
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = WebhookSignature.Compute(Secret, timestamp, bytes);
        var sut = CreateSut();

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var refused = Assert.IsType<WebhookOutcome.Refused>(await sut.HandleAsync("workforce-board", timestamp, signature, bytes, CancellationToken.None));

        Assert.Equal(WebhookRefusal.StaleTimestamp, refused.Reason);
        Assert.DoesNotContain(Secret, refused.Detail, StringComparison.Ordinal);
        Assert.Empty(_sender.Sent);
    }

    [Fact]
    public async Task An_unknown_partner_is_refused_like_a_bad_signature()
    {
        var refused = Assert.IsType<WebhookOutcome.Refused>(await PostAsync("nobody", Pipeline(Item("wb-7", "110"))));

        Assert.Equal(WebhookRefusal.BadSignature, refused.Reason);
    }

    private static string Pipeline(params string[] items) => $$"""{"version": 1, "completions": [{{string.Join(",", items)}}]}""";

    private static string Item(string learner, string activity) =>
        $$"""{"learner": {"id": "{{learner}}"}, "activityId": "{{activity}}", "completedAt": "2026-11-20T16:00:00Z", "outcome": "passed"}""";

    private static string Caliper(params string[] events) =>
        $$"""{"sensor": "https://lms.arizona.example.edu/sensors/1", "sendTime": "2026-11-21T10:00:05.000Z", "dataVersion": "http://purl.imsglobal.org/ctx/caliper/v1p2", "data": [{{string.Join(",", events)}}]}""";

    private static string GradeEvent(string learner, string assessment, int given, int max) => $$"""
        {"type": "GradeEvent", "action": "Graded", "actor": "https://lms.arizona.example.edu/autograder",
         "object": {"id": "https://lms.arizona.example.edu/attempts/{{learner}}", "type": "Attempt",
                    "assignee": {"id": "https://lms.arizona.example.edu/users/{{learner}}", "type": "Person"},
                    "assignable": {"id": "https://lms.arizona.example.edu/assessments/{{assessment}}", "type": "Assessment"} },
         "generated": {"id": "https://lms.arizona.example.edu/scores/{{learner}}", "type": "Score", "scoreGiven": {{given}}, "maxScore": {{max}} },
         "eventTime": "2026-11-21T10:00:00.000Z"}
        """;

    private sealed class Secrets : IPartnerSecrets
    {
        public Task<IReadOnlyList<PartnerSecret>> GetActiveAsync(string partnerId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<PartnerSecret>>([new PartnerSecret(Secret, DateTimeOffset.UnixEpoch)]);
    }
}
