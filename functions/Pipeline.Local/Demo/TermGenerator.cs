using System.Globalization;
using System.Text;
using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;

namespace Pipeline.Local.Demo;

/// <summary>
/// Writes a realistic end-of-term SIS export (Spring 2026, a term in the past, as exports are) in the <c>generic</c> column map for the sample catalog: each learner
/// pursues one to three programmes and usually completes them (sometimes through an alternative route, sometimes only
/// partly), plus a handful of bad rows a registrar would have to fix. A fixed seed gives the same file every time,
/// so a second run issues nothing new.
/// </summary>
internal sealed class TermGenerator(PipelineCatalog catalog, int seed = 2026)
{
    public const string Header = "learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score";

    private static readonly DateOnly TermStart = new(2026, 1, 20);
    private const int TermDays = 116;

    private static readonly string[] GivenNames =
    [
        "Ada", "Grace", "Alan", "Katherine", "Tim", "Margaret", "Linus", "Barbara", "Edsger", "Frances", "Donald", "Radia",
        "Ken", "Shafi", "Dennis", "Hedy", "John", "Mary", "Guido", "Anita", "Sophie", "Yukihiro", "Joan", "Niklaus",
        "José", "Zoë", "Øystein", "Chloé", "Siobhán", "Nguyễn",
    ];

    private static readonly string[] FamilyNames =
    [
        "Lovelace", "Hopper", "Turing", "Johnson", "Berners-Lee", "Hamilton", "Torvalds", "Liskov", "Dijkstra", "Allen",
        "Knuth", "Perlman", "Thompson", "Goldwasser", "Ritchie", "Lamarr", "Backus", "Jackson", "van Rossum", "Borg",
        "Wilson", "Matsumoto", "Clarke", "Wirth", "O'Neil", "García", "Müller", "Dubois", "Ó Briain", "Văn An",
    ];

    /// <summary>The learner ids this generator uses: <c>S{100000 + n}</c>.</summary>
    public static string LearnerId(int n) => string.Create(CultureInfo.InvariantCulture, $"S{100000 + n}");

    /// <summary>Rows of the export, header first; <paramref name="badRows"/> malformed rows are mixed in at fixed places.</summary>
    public IEnumerable<string> Rows(int learners, int badRows = 6)
    {
        var random = new Random(seed);
        var targets = catalog.Achievements.Values.OrderBy(a => a.Id, StringComparer.Ordinal).ToArray();
        var badEvery = badRows > 0 ? Math.Max(1, learners / badRows) : int.MaxValue;
        var bad = 0;
        yield return Header;
        for (var n = 1; n <= learners; n++)
        {
            var learner = Learner(n, random);
            var programmes = random.Next(1, 4);
            foreach (var target in random.GetItems(targets, programmes).Distinct())
            {
                var facts = new List<Fact>();
                Satisfy(target.Rule, random, facts);
                if (facts.Count > 1 && random.NextDouble() < 0.2)
                {
                    facts.RemoveAt(random.Next(facts.Count));
                }
                foreach (var fact in facts)
                {
                    yield return Row(learner, fact);
                }
            }
            if (n % badEvery == 0 && bad < badRows)
            {
                yield return BadRow(learner, bad++);
            }
        }
    }

    public async Task WriteAsync(string path, int learners, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllLinesAsync(path, Rows(learners), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken);
    }

    private sealed record LearnerRow(string Id, string Email, string Given, string Family);

    private sealed record Fact(string Activity, DateOnly Date, CompletionOutcome Outcome, string? Grade, decimal? Score);

    private static LearnerRow Learner(int n, Random random)
    {
        var given = GivenNames[random.Next(GivenNames.Length)];
        var family = FamilyNames[random.Next(FamilyNames.Length)];
        var local = new string([.. (given + "." + family).ToLowerInvariant().Normalize(NormalizationForm.FormD)
            .Where(c => c is >= 'a' and <= 'z' or '.')]);
        return new LearnerRow(LearnerId(n), string.Create(CultureInfo.InvariantCulture, $"{local}{n}@students.example.edu"), given, family);
    }

    private void Satisfy(PathwayRule rule, Random random, List<Fact> facts)
    {
        switch (rule)
        {
            case AllOfRule all:
                all.Rules.ToList().ForEach(r => Satisfy(r, random, facts));
                break;
            case AnyOfRule any:
                Satisfy(any.Rules[random.Next(any.Rules.Count)], random, facts);
                break;
            case AtLeastRule atLeast:
                foreach (var child in random.GetItems(atLeast.Rules.ToArray(), atLeast.Rules.Count).Distinct().Take(atLeast.Count))
                {
                    Satisfy(child, random, facts);
                }
                break;
            case EarnedRule earned:
                Satisfy(catalog.Achievements[earned.Achievement].Rule, random, facts);
                break;
            case WithinRule within:
                Satisfy(within.Rule, random, facts);
                break;
            case ActivityRule activity:
                facts.Add(Complete(activity, random));
                break;
            default:
                throw new InvalidOperationException($"Unknown rule kind {rule.GetType().Name}.");
        }
    }

    private Fact Complete(ActivityRule rule, Random random)
    {
        var date = TermStart.AddDays(random.Next(TermDays));
        var scale = catalog.GradeScaleFor(rule.Activity);
        string? grade = null;
        if (rule.MinimumGrade is { } minimum && scale?.Rank(minimum) is { } worstAllowed)
        {
            grade = scale.Grades[random.Next(worstAllowed + 1)];
        }
        decimal? score = rule.MinimumScore is { } minimumScore
            ? Math.Round(minimumScore + ((100 - minimumScore) * (decimal)random.NextDouble()), 1)
            : null;
        var outcome = rule.RequirePass || grade is not null || score is not null || random.NextDouble() < 0.5
            ? CompletionOutcome.Passed
            : CompletionOutcome.Completed;
        return new Fact(rule.Activity, date, outcome, grade, score);
    }

    private static string Row(LearnerRow learner, Fact fact) => string.Join(',',
        learner.Id,
        learner.Email,
        Quote(learner.Given),
        Quote(learner.Family),
        fact.Activity,
        fact.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        fact.Outcome.ToString().ToLowerInvariant(),
        Quote(fact.Grade ?? string.Empty),
        fact.Score?.ToString("0.#", CultureInfo.InvariantCulture) ?? string.Empty);

    /// <summary>The mistakes registrars actually send: impossible dates, missing emails, typos in outcomes and scores.</summary>
    private static string BadRow(LearnerRow learner, int which) => (which % 6) switch
    {
        0 => $"{learner.Id},{learner.Email},{learner.Given},{Quote(learner.Family)},LDR110,2026-13-45,passed,,",
        1 => $"{learner.Id},,{learner.Given},{Quote(learner.Family)},LDR120,2026-03-02,passed,,",
        2 => $"{learner.Id},{learner.Email},{learner.Given},{Quote(learner.Family)},DAT101,2026-03-14,maybe,,",
        3 => $"{learner.Id},{learner.Email},{learner.Given},{Quote(learner.Family)},CRS200,2026-03-20,passed,,ninety",
        4 => $",{learner.Email},{learner.Given},{Quote(learner.Family)},LDR130,2026-04-01,passed,,",
        _ => $"{learner.Id},not-an-email,{learner.Given},{Quote(learner.Family)},DAT101,2026-02-27,passed,,",
    };

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
