using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipeline.Core.Http;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Http;

/// <summary>One registry of problem types (<see cref="ProblemTypes"/>), and docs and OpenAPI that name exactly its entries.</summary>
public sealed partial class ProblemTypesTests
{
    private static IEnumerable<(string Field, ProblemType Problem)> DeclaredProblemTypes() =>
        typeof(ProblemType).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(f => f.FieldType == typeof(ProblemType))
            .Select(f => ($"{f.DeclaringType!.Name}.{f.Name}", (ProblemType)f.GetValue(null)!));

    private static string Code(ProblemType problem) => problem.Type[ProblemType.Prefix.Length..];

    private static SortedSet<string> RegistryCodes() => new(ProblemTypes.All.Select(Code), StringComparer.Ordinal);

    private static string Doc(params string[] path) => File.ReadAllText(Path.Combine([RepositoryPaths.Root, .. path]));

    [Fact]
    public void Each_problem_type_URI_is_declared_once()
    {
        var twice = DeclaredProblemTypes().GroupBy(d => d.Problem.Type, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(d => $"{d.Field} \"{d.Problem.Title}\""))}").ToList();
        Assert.True(twice.Count == 0, "Declared more than once: " + string.Join("; ", twice));
    }

    [Fact]
    public void Every_problem_type_is_declared_in_the_registry_and_listed_in_All()
    {
        var outside = DeclaredProblemTypes().Where(d => !ReferenceEquals(ProblemTypes.All.FirstOrDefault(p => p.Type == d.Problem.Type), d.Problem))
            .Select(d => d.Field).ToList();
        Assert.True(outside.Count == 0, "Not in ProblemTypes.All: " + string.Join(", ", outside));
        Assert.Equal(DeclaredProblemTypes().Count(), ProblemTypes.All.Count);
    }

    [Fact]
    public void Registry_entries_have_distinct_URIs_and_distinct_titles_under_the_one_prefix()
    {
        Assert.Equal(ProblemTypes.All.Count, ProblemTypes.All.Select(p => p.Type).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ProblemTypes.All.Count, ProblemTypes.All.Select(p => p.Title).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(ProblemTypes.All, p => Assert.Matches("^" + Regex.Escape(ProblemType.Prefix) + "[a-z0-9]+(-[a-z0-9]+)*$", p.Type));
        Assert.All(ProblemTypes.All, p => Assert.InRange(p.Status, 400, 599));
    }

    [Fact]
    public void Docs_problem_types_table_is_the_registry_with_status_and_title()
    {
        var rows = TableRow().Matches(Doc("docs", "problem-types.md"))
            .Select(m => $"{m.Groups["code"].Value} {m.Groups["status"].Value} {m.Groups["title"].Value}").Order(StringComparer.Ordinal);

        Assert.Equal(ProblemTypes.All.Select(p => $"{Code(p)} {p.Status} {p.Title}").Order(StringComparer.Ordinal), rows);
    }

    [Fact]
    public void Every_code_in_the_verify_and_webhook_tables_is_a_registry_entry_with_that_status()
    {
        var byCode = ProblemTypes.All.ToDictionary(Code, p => p.Status, StringComparer.Ordinal);
        var verify = VerifyTableRow().Matches(Doc("docs", "verification.md")).Select(m => (Code: m.Groups["code"].Value, Status: m.Groups["status"].Value)).ToList();
        var webhook = WebhookTableRow().Matches(Doc("docs", "integrations.md")).Select(m => (Code: m.Groups["code"].Value, Status: m.Groups["status"].Value)).ToList();

        Assert.NotEmpty(verify);
        Assert.NotEmpty(webhook);
        Assert.All(verify.Concat(webhook), row =>
        {
            Assert.True(byCode.TryGetValue(row.Code, out var status), $"{row.Code} is documented but not in ProblemTypes.");
            Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Status);
        });
    }

    [Fact]
    public async Task OpenAPI_documents_name_exactly_the_registry_codes()
    {
        await using var site = await PublicSite.StartAsync();
        var document = JsonNode.Parse(await site.GetStringAsync("/openapi.json"))!;
        var description = (string)document["components"]!["schemas"]!["Problem"]!["properties"]!["type"]!["description"]!;
        var api = CodeList(description[(description.IndexOf("a code:", StringComparison.Ordinal) + "a code:".Length)..]);
        var webhooks = Doc("docs", "openapi", "webhooks.yaml");
        var webhookDescription = webhooks[(webhooks.IndexOf("type is one of ", StringComparison.Ordinal) + "type is one of ".Length)..];
        var hooks = CodeList(webhookDescription[..webhookDescription.IndexOf('\n', StringComparison.Ordinal)]);

        Assert.Equal(RegistryCodes(), new SortedSet<string>(api.Concat(hooks), StringComparer.Ordinal));
        Assert.Equal(api.Count, api.Distinct(StringComparer.Ordinal).Count());
    }

    private static List<string> CodeList(string text) =>
        text.TrimEnd().TrimEnd('.').Split(',', StringSplitOptions.TrimEntries)
            .Select(c => c.StartsWith(ProblemType.Prefix, StringComparison.Ordinal) ? c[ProblemType.Prefix.Length..] : c).ToList();

    [GeneratedRegex(@"^\| `(?<code>[a-z0-9-]+)` \| (?<status>\d{3}) \| (?<title>[^|]+?) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"^\| `(?<code>[a-z0-9-]+)` \| (?<status>\d{3}) \|", RegexOptions.Multiline)]
    private static partial Regex VerifyTableRow();

    [GeneratedRegex(@"^\| (?<status>\d{3}) \| `(?<code>[a-z0-9-]+)` \|", RegexOptions.Multiline)]
    private static partial Regex WebhookTableRow();
}
