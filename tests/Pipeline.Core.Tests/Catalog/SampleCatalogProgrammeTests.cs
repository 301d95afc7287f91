using Pipeline.Core.Pathways;
using Pipeline.Core.Tests.TestData;
using static Pipeline.Core.Tests.TestData.Completions;

namespace Pipeline.Core.Tests.Catalog;

/// <summary>Each programme of the design, expressed in samples/catalog, earns what it should from a realistic term of events.</summary>
public sealed class SampleCatalogProgrammeTests
{
    private static PathwayEvaluator CreateSut() => new(SampleCatalog.Catalog);

    private static Dictionary<string, EarnedAchievement> Earn(params CompletionEvent[] events) =>
        CreateSut().Evaluate(Progress(events)).ToDictionary(e => e.AchievementId);

    [Fact]
    public void University_of_Maine_three_levels_stack_into_the_macro_badge()
    {
        var earned = Earn(
            Passed("DAT101", "2026-05-08T16:00:00Z", "A-"),
            Passed("DAT201", "2026-12-11T16:00:00Z", "B"),
            Passed("DAT202", "2026-12-14T16:00:00Z", "C+"),
            Passed("DAT301", "2027-05-07T16:00:00Z", "High Pass"));

        Assert.Equal(
            ["umaine-data-analytics-level-1", "umaine-data-analytics-level-2", "umaine-data-analytics-level-3", "umaine-data-analytics-macro"],
            earned.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(At("2026-12-14T16:00:00Z"), earned["umaine-data-analytics-level-2"].AwardedAt);
        Assert.Equal(At("2027-05-07T16:00:00Z"), earned["umaine-data-analytics-macro"].AwardedAt);
        Assert.Equal(
            ["umaine-data-analytics-level-1", "umaine-data-analytics-level-2", "umaine-data-analytics-level-3"],
            earned["umaine-data-analytics-macro"].StackedOn);
    }

    [Fact]
    public void University_of_Maine_macro_badge_waits_for_the_last_level()
    {
        var earned = Earn(Passed("LDR110", "2026-05-08"), Passed("LDR120", "2026-12-11"));
        Assert.Equal(["umaine-leadership-level-1", "umaine-leadership-level-2"], earned.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void University_of_Arizona_robotics_and_machine_learning_stack_into_artificial_intelligence()
    {
        var earned = Earn(
            Passed("AME410", "2026-05-06", "B"),
            Passed("ECE420", "2026-05-07", "A"),
            Passed("AME430", "2026-12-10", "C"),
            Passed("CSC380", "2026-05-05", "B-"),
            Failed("CSC480", "2026-05-09", "D"),
            Passed("CSC480", "2026-12-12", "B+"),
            Passed("CSC485", "2027-05-01"));

        Assert.Equal(At("2026-12-10"), earned["arizona-robotics"].AwardedAt);
        Assert.Equal(At("2027-05-01"), earned["arizona-machine-learning"].AwardedAt);
        Assert.Equal(At("2027-05-01"), earned["arizona-artificial-intelligence"].AwardedAt);
        Assert.Equal(["arizona-machine-learning", "arizona-robotics"], earned["arizona-artificial-intelligence"].StackedOn);
    }

    [Fact]
    public void Education_Design_Lab_badge_by_four_modules_and_the_assessment()
    {
        var earned = Earn(
            Completed("edlab-collaboration-module-1", "2026-02-01"),
            Completed("edlab-collaboration-module-2", "2026-02-08"),
            Completed("edlab-collaboration-module-3", "2026-02-15"),
            Completed("edlab-collaboration-module-4", "2026-02-22"),
            Passed("edlab-collaboration-assessment", "2026-03-01", score: 72m));

        var badge = Assert.Single(earned.Values);
        Assert.Equal("edlab-collaboration", badge.AchievementId);
        Assert.Equal(5, badge.EventIds.Count);
    }

    [Fact]
    public void Education_Design_Lab_badge_by_the_assessment_alone()
    {
        var assessment = Passed("edlab-resilience-assessment", "2026-03-01", score: 88m);

        var badge = Assert.Single(Earn(assessment).Values);

        Assert.Equal("edlab-resilience", badge.AchievementId);
        Assert.Equal([assessment.Id], badge.EventIds);
    }

    [Fact]
    public void Education_Design_Lab_assessment_alone_below_mastery_needs_the_modules()
    {
        Assert.Empty(Earn(Passed("edlab-empathy-assessment", "2026-03-01", score: 72m)));
        var explanation = CreateSut().Explain(Progress(Passed("edlab-empathy-assessment", "2026-03-01", score: 72m)), "edlab-empathy");
        Assert.Equal(
            "missing: edlab-empathy-assessment Empathy assessment (pass required, minimum score 80) — score 72 on 2026-03-01 is below the minimum 80",
            explanation.Rule.Children[1].Description);
    }

    [Fact]
    public void Every_Education_Design_Lab_skill_is_a_badge()
    {
        string[] skills =
        [
            "collaboration", "creative-problem-solving", "critical-thinking", "empathy", "initiative", "intercultural-fluency",
            "oral-communication", "resilience",
        ];
        var events = skills.Select(s => Passed($"edlab-{s}-assessment", "2026-04-01", score: 90m)).ToArray();
        Assert.Equal(skills.Select(s => "edlab-" + s), Earn(events).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void For_credit_microcredential_needs_the_minimum_grade_in_every_course()
    {
        var earned = Earn(Passed("COS140", "2026-05-08", "B-"), Passed("COS250", "2026-12-11", "A"), Passed("COS330", "2027-05-07", "B"));
        Assert.Equal(At("2027-05-07"), earned["umaine-cybersecurity-foundations"].AwardedAt);

        Assert.Empty(Earn(Passed("COS140", "2026-05-08", "C+"), Passed("COS250", "2026-12-11", "A"), Passed("COS330", "2027-05-07", "B")));
    }

    [Fact]
    public void Any_two_of_four_electives()
    {
        Assert.Empty(Earn(Passed("DSC430", "2026-05-08")));
        var earned = Earn(Passed("DSC430", "2026-05-08"), Passed("DSC410", "2026-12-11"), Passed("DSC440", "2027-05-07"));
        Assert.Equal(At("2026-12-11"), earned["arizona-data-science-electives"].AwardedAt);
    }

    [Fact]
    public void Industry_certification_within_its_window_expires_after_three_years()
    {
        var earned = Earn(Completed("CRS100", "2026-03-02"), Passed("CRS200", "2026-09-15", score: 84m));

        var certification = earned["arizona-cobot-safety-certification"];
        Assert.Equal(At("2026-09-15"), certification.AwardedAt);
        Assert.Equal(At("2029-09-15"), certification.ValidUntil);
    }

    [Fact]
    public void Industry_certification_outside_its_window_is_not_earned()
    {
        Assert.Empty(Earn(Completed("CRS100", "2025-01-10"), Passed("CRS200", "2026-09-15", score: 84m)));
    }

    [Fact]
    public void Explanation_of_the_electives_is_the_one_in_the_docs()
    {
        var progress = Progress(Failed("DSC420", "2026-05-01"), Passed("DSC430", "2026-05-08"));

        var text = CreateSut().Explain(progress, "arizona-data-science-electives").ToPlainText();

        Assert.Equal(
            """
            Applied Data Science Electives (arizona-data-science-electives): not earned yet
              [ ] missing: any 2 of DSC410, DSC420, DSC430, DSC440 — 1 done
                [ ] missing: DSC410 Data Visualization (pass required) — not completed yet
                [ ] missing: DSC420 Natural Language Processing (pass required) — failed on 2026-05-01
                [x] DSC430 Geospatial Analytics passed on 2026-05-08 (pass required)
                [ ] missing: DSC440 Data Ethics and Policy (pass required) — not completed yet

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            text);
        Assert.Contains(text.TrimEnd('\n'), File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "catalog.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Window_exceeded_explanation_is_the_one_in_the_docs()
    {
        var progress = Progress(Completed("CRS100", "2025-01-10"), Passed("CRS200", "2026-09-15", score: 84m));

        var node = CreateSut().Explain(progress, "arizona-cobot-safety-certification").Rule;

        Assert.Equal("missing: all of CRS100, CRS200 within 1 year — done, but not within 1 year of each other", node.Description);
    }
}
