using System.Globalization;
using System.Text.Json;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Pathways;

namespace Pipeline.Core.Stages.Webhooks;

/// <summary>
/// Reads a schema-valid webhook body of each <see cref="PartnerPayload"/> into items, in order (docs/integrations.md).
/// The schema has already checked every property read here, so reading does not fail.
/// </summary>
internal static class PayloadReaders
{
    public static string SchemaOf(PartnerPayload payload) => payload switch
    {
        PartnerPayload.Pipeline => ContractSchemas.WebhookCompletionsV1,
        PartnerPayload.Caliper => ContractSchemas.CaliperEnvelope,
        PartnerPayload.Moodle => ContractSchemas.MoodleCourseCompleted,
        _ => throw new ArgumentOutOfRangeException(nameof(payload), payload, "Unknown payload shape."),
    };

    public static IReadOnlyList<PayloadItem> Read(Partner partner, JsonElement root) => partner.Payload switch
    {
        PartnerPayload.Pipeline => ReadPipeline(root),
        PartnerPayload.Caliper => ReadCaliper(root, partner.PassingScore),
        PartnerPayload.Moodle => [ReadMoodle(root)],
        _ => throw new ArgumentOutOfRangeException(nameof(partner), partner.Payload, "Unknown payload shape."),
    };

    /// <summary>Our own shape: <c>{"version": 1, "completions": [...]}</c>.</summary>
    public static List<PayloadItem> ReadPipeline(JsonElement root)
    {
        var items = new List<PayloadItem>();
        var index = 0;
        foreach (var item in root.GetProperty("completions").EnumerateArray())
        {
            var at = $"/completions/{index++}";
            if (Time(item, "completedAt") is not { } completedAt)
            {
                items.Add(new PayloadItem.NotACompletion($"{at}/completedAt: expected an ISO 8601 date-time with an offset, found \"{item.GetProperty("completedAt").GetString()}\""));
                continue;
            }
            var learner = item.GetProperty("learner");
            var fields = new ItemFields(at);
            var completion = new PayloadItem.Completion(
                fields.Check(learner.GetProperty("id").GetString()!, "/learner/id", TextFields.MaxIdLength),
                Text(learner, "email"),
                fields.Read(learner, "givenName", "/learner/givenName", TextFields.MaxNameLength),
                fields.Read(learner, "familyName", "/learner/familyName", TextFields.MaxNameLength),
                fields.Check(item.GetProperty("activityId").GetString()!, "/activityId", TextFields.MaxIdLength),
                completedAt,
                Text(item, "outcome") switch
                {
                    "passed" => CompletionOutcome.Passed,
                    "failed" => CompletionOutcome.Failed,
                    _ => CompletionOutcome.Completed,
                },
                fields.Read(item, "grade", "/grade", TextFields.MaxGradeLength),
                item.TryGetProperty("score", out var score) ? fields.Number(score, "/score") : null);
            items.Add(fields.Problem is { } problem ? new PayloadItem.NotACompletion(problem) : completion);
        }
        return items;
    }

    /// <summary>
    /// Caliper 1.2: a <c>GradeEvent</c> completes the Attempt's <c>assignable</c> for its <c>assignee</c>, scored
    /// <c>scoreGiven / maxScore</c> as a percentage; an <c>AssessmentEvent</c> with action <c>Submitted</c> or
    /// <c>Completed</c> completes its <c>object</c> for its <c>actor</c>. Other events are not completions.
    /// </summary>
    public static List<PayloadItem> ReadCaliper(JsonElement root, decimal? passingScore)
    {
        var items = new List<PayloadItem>();
        var index = 0;
        foreach (var e in root.GetProperty("data").EnumerateArray())
        {
            var at = $"/data/{index++}";
            var type = e.GetProperty("type").GetString();
            var action = e.GetProperty("action").GetString();
            if (Time(e, "eventTime") is not { } time)
            {
                items.Add(new PayloadItem.NotACompletion($"{at}/eventTime: expected an ISO 8601 date-time with an offset, found \"{e.GetProperty("eventTime").GetString()}\""));
                continue;
            }
            items.Add(type switch
            {
                "GradeEvent" => ReadGradeEvent(e, at, time, passingScore),
                "AssessmentEvent" when action is "Submitted" or "Completed" => ReadAssessmentEvent(e, at, time),
                "AssessmentEvent" => new PayloadItem.NotACompletion($"an AssessmentEvent with action \"{action}\" is not a completion (expected Submitted or Completed)"),
                _ => new PayloadItem.NotACompletion($"a {type} is not a completion (expected GradeEvent or AssessmentEvent)"),
            });
        }
        return items;
    }

    private static PayloadItem ReadAssessmentEvent(JsonElement e, string at, DateTimeOffset time)
    {
        var fields = new ItemFields(at);
        var (learner, email) = Person(e.GetProperty("actor"), fields, "/actor");
        var activity = Id(e.GetProperty("object"), fields, "/object");
        return fields.Problem is { } problem
            ? new PayloadItem.NotACompletion(problem)
            : new PayloadItem.Completion(learner, email, null, null, activity, time, CompletionOutcome.Completed, null, null);
    }

    private static PayloadItem ReadGradeEvent(JsonElement e, string at, DateTimeOffset time, decimal? passingScore)
    {
        var attempt = e.GetProperty("object");
        if (attempt.ValueKind != JsonValueKind.Object || !attempt.TryGetProperty("assignee", out var assignee) || !attempt.TryGetProperty("assignable", out var assignable))
        {
            return new PayloadItem.NotACompletion("the GradeEvent's object is not an Attempt with an assignee and an assignable");
        }
        if (!e.TryGetProperty("generated", out var generated) || generated.ValueKind != JsonValueKind.Object
            || !generated.TryGetProperty("scoreGiven", out var given) || given.ValueKind != JsonValueKind.Number)
        {
            return new PayloadItem.NotACompletion("the GradeEvent generated no Score with a scoreGiven of zero or more");
        }
        var fields = new ItemFields(at);
        var score = fields.Number(given, "/generated/scoreGiven");
        var maxScore = generated.TryGetProperty("maxScore", out var max) && max.ValueKind == JsonValueKind.Number ? fields.Number(max, "/generated/maxScore") : null;
        var (learner, email) = Person(assignee, fields, "/object/assignee");
        var activity = Id(assignable, fields, "/object/assignable");
        if (fields.Problem is { } problem)
        {
            return new PayloadItem.NotACompletion(problem);
        }
        if (score is not { } value || value < 0)
        {
            return new PayloadItem.NotACompletion("the GradeEvent generated no Score with a scoreGiven of zero or more");
        }
        if (maxScore is { } maxValue && maxValue > 0)
        {
            value = Math.Round(value / maxValue * 100, 2, MidpointRounding.AwayFromZero);
        }
        var outcome = passingScore is { } pass ? (value >= pass ? CompletionOutcome.Passed : CompletionOutcome.Failed) : CompletionOutcome.Completed;
        return new PayloadItem.Completion(learner, email, null, null, activity, time, outcome, null, value);
    }

    /// <summary>Moodle's course_completed: <c>relateduserid</c> completed <c>courseid</c> at <c>timecreated</c>, which means its completion criteria are met: passed.</summary>
    public static PayloadItem ReadMoodle(JsonElement root) => new PayloadItem.Completion(
        Integer(root.GetProperty("relateduserid")).ToString(CultureInfo.InvariantCulture),
        null,
        null,
        null,
        Integer(root.GetProperty("courseid")).ToString(CultureInfo.InvariantCulture),
        DateTimeOffset.FromUnixTimeSeconds(Integer(root.GetProperty("timecreated"))),
        CompletionOutcome.Passed,
        null,
        null);

    /// <summary>An integer the schema has bounded; JSON Schema's "integer" includes <c>7.0</c>, which GetInt64 refuses.</summary>
    private static long Integer(JsonElement value) => decimal.ToInt64(value.GetDecimal());

    private static (string Id, string? Email) Person(JsonElement entity, ItemFields fields, string pointer) => entity.ValueKind == JsonValueKind.String
        ? (fields.Check(entity.GetString()!, pointer, TextFields.MaxIdLength), null)
        : (Id(entity, fields, pointer), Text(entity, "email") ?? (entity.TryGetProperty("extensions", out var ext) && ext.ValueKind == JsonValueKind.Object ? Text(ext, "email") : null));

    private static string Id(JsonElement entity, ItemFields fields, string pointer) => entity.ValueKind == JsonValueKind.String
        ? fields.Check(entity.GetString()!, pointer, TextFields.MaxIdLength)
        : fields.Read(entity, "id", pointer + "/id", TextFields.MaxIdLength) ?? string.Empty;

    private static DateTimeOffset? Time(JsonElement obj, string name) =>
        DateTimeOffset.TryParse(obj.GetProperty(name).GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;

    private static string? Text(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length > 0
            ? value.GetString()!.Trim()
            : null;

    /// <summary>
    /// The text fields and numbers of one item, checked as they are read (<see cref="TextFields"/>; a number a decimal
    /// cannot hold); the first problem, with its JSON pointer, rejects the item.
    /// </summary>
    private sealed class ItemFields(string at)
    {
        /// <summary>The largest number a score can be (<see cref="decimal.MaxValue"/>).</summary>
        private static readonly string Largest = decimal.MaxValue.ToString(CultureInfo.InvariantCulture);

        public string? Problem { get; private set; }

        public string? Read(JsonElement obj, string name, string pointer, int maxLength) =>
            Text(obj, name) is { } value ? Check(value, pointer, maxLength) : null;

        public string Check(string value, string pointer, int maxLength)
        {
            if (TextFields.Normalise(value, maxLength, out var problem) is { } normalised)
            {
                return normalised;
            }
            Problem ??= $"{at}{pointer}: expected {problem}, found \"{TextFields.Visible(value)}\"";
            return value;
        }

        /// <summary>
        /// A number as a decimal. <see cref="JsonElement.TryGetDecimal"/> fails on one beyond ±7.9e28 (31 digits,
        /// <c>1e29</c>, <c>1e400</c>): that is a problem, never a number read as absent (issue 21: such a score was
        /// stored empty). Only called on numbers: it throws on a string (found by fuzzing).
        /// </summary>
        public decimal? Number(JsonElement value, string pointer)
        {
            if (value.TryGetDecimal(out var number))
            {
                return number;
            }
            var raw = value.GetRawText();
            Problem ??= $"{at}{pointer}: expected a number from -{Largest} to {Largest}, found {(raw.Length > 80 ? raw[..80] + "…" : raw)}";
            return null;
        }
    }
}
