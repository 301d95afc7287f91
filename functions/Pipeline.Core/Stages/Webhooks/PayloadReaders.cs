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
            var at = $"/completions/{index++}/completedAt";
            if (Time(item, "completedAt") is not { } completedAt)
            {
                items.Add(new PayloadItem.NotACompletion($"{at}: expected an ISO 8601 date-time with an offset, found \"{item.GetProperty("completedAt").GetString()}\""));
                continue;
            }
            var learner = item.GetProperty("learner");
            items.Add(new PayloadItem.Completion(
                learner.GetProperty("id").GetString()!,
                Text(learner, "email"),
                Text(learner, "givenName"),
                Text(learner, "familyName"),
                item.GetProperty("activityId").GetString()!,
                completedAt,
                Text(item, "outcome") switch
                {
                    "passed" => CompletionOutcome.Passed,
                    "failed" => CompletionOutcome.Failed,
                    _ => CompletionOutcome.Completed,
                },
                Text(item, "grade"),
                item.TryGetProperty("score", out var score) && Decimal(score) is { } value ? value : null));
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
            var type = e.GetProperty("type").GetString();
            var action = e.GetProperty("action").GetString();
            if (Time(e, "eventTime") is not { } at)
            {
                items.Add(new PayloadItem.NotACompletion($"/data/{index++}/eventTime: expected an ISO 8601 date-time with an offset, found \"{e.GetProperty("eventTime").GetString()}\""));
                continue;
            }
            index++;
            items.Add(type switch
            {
                "GradeEvent" => ReadGradeEvent(e, at, passingScore),
                "AssessmentEvent" when action is "Submitted" or "Completed" => ReadAssessmentEvent(e, at),
                "AssessmentEvent" => new PayloadItem.NotACompletion($"an AssessmentEvent with action \"{action}\" is not a completion (expected Submitted or Completed)"),
                _ => new PayloadItem.NotACompletion($"a {type} is not a completion (expected GradeEvent or AssessmentEvent)"),
            });
        }
        return items;
    }

    private static PayloadItem.Completion ReadAssessmentEvent(JsonElement e, DateTimeOffset at)
    {
        var (learner, email) = Person(e.GetProperty("actor"));
        return new PayloadItem.Completion(learner, email, null, null, Id(e.GetProperty("object")), at, CompletionOutcome.Completed, null, null);
    }

    private static PayloadItem ReadGradeEvent(JsonElement e, DateTimeOffset at, decimal? passingScore)
    {
        var attempt = e.GetProperty("object");
        if (attempt.ValueKind != JsonValueKind.Object || !attempt.TryGetProperty("assignee", out var assignee) || !attempt.TryGetProperty("assignable", out var assignable))
        {
            return new PayloadItem.NotACompletion("the GradeEvent's object is not an Attempt with an assignee and an assignable");
        }
        if (!e.TryGetProperty("generated", out var generated) || generated.ValueKind != JsonValueKind.Object
            || !generated.TryGetProperty("scoreGiven", out var given) || Decimal(given) is not { } score || score < 0)
        {
            return new PayloadItem.NotACompletion("the GradeEvent generated no Score with a scoreGiven of zero or more");
        }
        if (generated.TryGetProperty("maxScore", out var max) && Decimal(max) is { } maxScore && maxScore > 0)
        {
            score = Math.Round(score / maxScore * 100, 2, MidpointRounding.AwayFromZero);
        }
        var outcome = passingScore is { } pass ? (score >= pass ? CompletionOutcome.Passed : CompletionOutcome.Failed) : CompletionOutcome.Completed;
        var (learner, email) = Person(assignee);
        return new PayloadItem.Completion(learner, email, null, null, Id(assignable), at, outcome, null, score);
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

    /// <summary>
    /// A number as a decimal, or null for anything else. <see cref="JsonElement.TryGetDecimal"/> throws on a string:
    /// a Caliper <c>scoreGiven</c> sent as text was a crash (found by fuzzing).
    /// </summary>
    private static decimal? Decimal(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) ? number : null;

    /// <summary>An integer the schema has bounded; JSON Schema's "integer" includes <c>7.0</c>, which GetInt64 refuses.</summary>
    private static long Integer(JsonElement value) => decimal.ToInt64(value.GetDecimal());

    private static (string Id, string? Email) Person(JsonElement entity) => entity.ValueKind == JsonValueKind.String
        ? (entity.GetString()!, null)
        : (Id(entity), Text(entity, "email") ?? (entity.TryGetProperty("extensions", out var ext) && ext.ValueKind == JsonValueKind.Object ? Text(ext, "email") : null));

    private static string Id(JsonElement entity) => entity.ValueKind == JsonValueKind.String
        ? entity.GetString()!
        : Text(entity, "id") ?? string.Empty;

    private static DateTimeOffset? Time(JsonElement obj, string name) =>
        DateTimeOffset.TryParse(obj.GetProperty(name).GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;

    private static string? Text(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length > 0
            ? value.GetString()!.Trim()
            : null;
}
