using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Pathways;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Contracts;

/// <summary>
/// The hand-written check must never accept what the published schema rejects (else a bad message would get past
/// validation), and must accept what the pipeline writes (else it saves nothing). Both are compared with the full
/// JSON Schema evaluation over the pipeline's own messages and every single-property mutation of them.
/// </summary>
public sealed class RecordCompletionV1CheckTests
{
    private static readonly RecordCompletion[] Written =
    [
        new()
        {
            CorrelationId = "sis:banner-2026FA.csv#12",
            Completion = Completions.Passed("DAT101", "2026-12-18T14:30:00Z", grade: "A-", score: 88.5m),
            Learner = new LearnerProfile { LearnerId = Completions.Learner, Email = "s1001@example.edu", GivenName = "Ada", FamilyName = "Lovelace" },
        },
        new()
        {
            CorrelationId = "webhook:bootcamp:ce1-x",
            Completion = Completions.Completed("achievement:robotics", "2026-05-01"),
            Learner = new LearnerProfile { LearnerId = Completions.Learner, Email = "ada@example.edu" },
        },
    ];

    private static readonly string[] Pointers =
    [
        "/schemaVersion", "/correlationId", "/completion", "/learner", "/extra",
        "/completion/source", "/completion/learnerId", "/completion/activityId", "/completion/completedAt", "/completion/outcome",
        "/completion/grade", "/completion/score", "/completion/id", "/completion/extra",
        "/learner/learnerId", "/learner/email", "/learner/givenName", "/learner/familyName", "/learner/displayName", "/learner/extra",
    ];

    private static readonly string[] Values =
    [
        "null", "true", "0", "1", "1.0", "1e0", "-1", "2", "88.5", "{}", "[]", "[1]", "{\"source\":\"x\"}",
        "\"\"", "\" \"", "\"\\t\"", "\"\\u00a0\"", "\"\\u2028\"", "\"\\u0085\"", "\"x\"", "\" x \"",
        "\"a@b\"", "\"@b\"", "\"a@\"", "\"a@@b\"", "\"a@b@c\"", "\"a b@c\"", "\"a@b\\n\"", "\"a\\u00a0@b\"", "\"a@b.example\"",
        "\"2026-09-01T00:00:00Z\"", "\"2026-09-01T00:00:00.5+02:00\"", "\"2026-09-01T00:00:00.+02:00\"", "\"2026-09-01T00:00:00Z\\n\"",
        "\"2026-09-01 00:00:00Z\"", "\"2026-09-01T00:00:00\"", "\"2026-09-01T00:00:00+0200\"", "\"\\u0662026-09-01T00:00:00Z\"",
        "\"2026-09-01T00:00:00.123456789-11:30\"", "\"2026-9-01T00:00:00Z\"",
        "\"passed\"", "\"Passed\"", "\"PASSED\"", "\"failed\"", "\"Completed\"", "\"completed \"",
    ];

    public static TheoryData<string> Messages()
    {
        var data = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in Written)
        {
            var body = StageMessages.ToCompletions(message).Body;
            data.Add(body);
            foreach (var pointer in Pointers)
            {
                data.Add(Mutate(body, pointer, remove: true, value: null));
                foreach (var value in Values)
                {
                    data.Add(Mutate(body, pointer, remove: false, value));
                }
            }
            data.Add(body.Replace("{\"schemaVersion\":1,", "{\"schemaVersion\":1,\"schemaVersion\":2,", StringComparison.Ordinal));
            data.Add(body.Replace("\"learner\":{", "\"learner\":5,\"learner\":{", StringComparison.Ordinal));
            data.Add(body.Replace("\"email\":", "\"email\":\"x\",\"email\":", StringComparison.Ordinal));
            data.Add(body.Replace("\"outcome\":", "\"outcome\":3,\"outcome\":", StringComparison.Ordinal));
            data.Add(body.Replace("\"correlationId\":\"", "\"correlationId\":\"\\ud800", StringComparison.Ordinal));
        }
        data.Add("[]");
        data.Add("\"x\"");
        data.Add("{}");
        return [.. data.Order(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Matches_only_what_the_schema_accepts(string body)
    {
        using var document = JsonDocument.Parse(body);

        var fast = RecordCompletionV1Check.Matches(document.RootElement);

        if (fast)
        {
            Assert.Null(ContractSchemas.FirstViolation(ContractSchemas.RecordCompletionV1, document.RootElement));
        }
    }

    [Fact]
    public void Matches_what_the_pipeline_writes_and_its_valid_variants()
    {
        string[] accepted =
        [
            .. Written.Select(m => StageMessages.ToCompletions(m).Body),
            .. Written.Select(m => StageMessages.ToCompletions(m with { Completion = m.Completion with { Outcome = CompletionOutcome.Failed } }).Body),
            Mutate(StageMessages.ToCompletions(Written[0]).Body, "/completion/completedAt", remove: false, "\"2026-09-01T00:00:00.123456789-11:30\""),
            Mutate(StageMessages.ToCompletions(Written[0]).Body, "/completion/score", remove: true, value: null),
            Mutate(StageMessages.ToCompletions(Written[0]).Body, "/learner/givenName", remove: true, value: null),
        ];

        foreach (var body in accepted)
        {
            using var document = JsonDocument.Parse(body);
            Assert.Null(ContractSchemas.FirstViolation(ContractSchemas.RecordCompletionV1, document.RootElement));
            Assert.True(RecordCompletionV1Check.Matches(document.RootElement), body);
        }
    }

    private static string Mutate(string body, string pointer, bool remove, string? value)
    {
        var root = JsonNode.Parse(body)!.AsObject();
        var parts = pointer.Split('/')[1..];
        var parent = parts.Length == 1 ? root : root[parts[0]]!.AsObject();
        if (remove)
        {
            parent.Remove(parts[^1]);
        }
        else
        {
            parent[parts[^1]] = JsonNode.Parse(value!);
        }
        return root.ToJsonString();
    }
}
