using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;
using Pipeline.Core.Tests.TestData;
using static Pipeline.Core.Tests.TestData.Completions;

namespace Pipeline.Core.Tests.Pathways;

public sealed class PathwayExplanationTests
{
    private static readonly AtLeastRule Electives = new(2, [new ActivityRule("ELEC1"), new ActivityRule("ELEC2"), new ActivityRule("ELEC3"), new ActivityRule("ELEC4")]);

    private static PathwayEvaluator CreateSut() => new CatalogBuilder()
        .With("grade", new ActivityRule("CS101") { MinimumGrade = "B" })
        .With("electives", Electives)
        .With("level-1", new ActivityRule("A"))
        .With("macro", new AllOfRule([new EarnedRule("level-1"), new EarnedRule("electives")]))
        .With("route", new AnyOfRule([new AllOfRule([new ActivityRule("M1"), new ActivityRule("M2")]), new ActivityRule("EXAM") { RequirePass = true }]))
        .With("cert", new WithinRule(new WindowLength(18, 0), new AllOfRule([new ActivityRule("COURSE"), new ActivityRule("EXAM") { MinimumScore = 80m }])))
        .WithActivity("CS101", null)
        .BuildEvaluator();

    [Fact]
    public void Met_activity_says_what_grade_on_which_day_against_which_minimum()
    {
        var explanation = CreateSut().Explain(Progress(Passed("CS101", "2026-05-01", "B+")), "grade");
        Assert.True(explanation.Earned);
        Assert.False(explanation.EarnedBefore);
        Assert.Equal(RuleKind.Activity, explanation.Rule.Kind);
        Assert.True(explanation.Rule.Met);
        Assert.Equal(At("2026-05-01"), explanation.Rule.MetAt);
        Assert.Equal("CS101 passed with B+ on 2026-05-01 (minimum B)", explanation.Rule.Description);
    }

    [Fact]
    public void Grade_below_minimum_is_explained()
    {
        var node = CreateSut().Explain(Progress(Passed("CS101", "2026-05-01", "C")), "grade").Rule;
        Assert.False(node.Met);
        Assert.Equal("missing: CS101 (minimum B) — C on 2026-05-01 is below the minimum B", node.Description);
    }

    [Fact]
    public void Unknown_grade_in_an_event_is_explained_as_not_on_the_scale()
    {
        var node = CreateSut().Explain(Progress(Passed("CS101", "2026-05-01", "B++")), "grade").Rule;
        Assert.False(node.Met);
        Assert.Equal("missing: CS101 (minimum B) — grade \"B++\" on 2026-05-01 is not on the us-letter grade scale (minimum B)", node.Description);
    }

    [Fact]
    public void Not_started_activity_is_explained()
    {
        var node = CreateSut().Explain(Progress(), "grade").Rule;
        Assert.Equal("missing: CS101 (minimum B) — not completed yet", node.Description);
    }

    [Fact]
    public void AtLeast_says_how_many_are_done()
    {
        var explanation = CreateSut().Explain(Progress(Passed("ELEC3", "2026-02-01")), "electives");
        Assert.False(explanation.Earned);
        Assert.Equal("missing: any 2 of ELEC1, ELEC2, ELEC3, ELEC4 — 1 done", explanation.Rule.Description);
        Assert.Equal([false, false, true, false], explanation.Rule.Children.Select(c => c.Met));
    }

    [Fact]
    public void Stacked_achievement_explains_each_input()
    {
        var explanation = CreateSut().Explain(Progress(Passed("A", "2026-01-05"), Passed("ELEC1", "2026-02-01")), "macro");
        Assert.Equal("missing: all of Badge level-1, Badge electives — 1 of 2 done", explanation.Rule.Description);
        Assert.Equal("earned Badge level-1 on 2026-01-05", explanation.Rule.Children[0].Description);
        Assert.Equal("missing: Badge electives — not earned yet", explanation.Rule.Children[1].Description);
    }

    [Fact]
    public void Achievement_held_before_is_reported_with_its_recorded_date()
    {
        var progress = new LearnerProgress(Learner, [Passed("A", "2026-01-05")], [new PriorAward("level-1", At("2026-01-06"))]);
        var explanation = CreateSut().Explain(progress, "level-1");
        Assert.True(explanation.EarnedBefore);
        Assert.Equal(At("2026-01-06"), explanation.AwardedAt);
    }

    [Fact]
    public void Alternative_route_shows_which_route_met_it()
    {
        var explanation = CreateSut().Explain(Progress(Passed("M1", "2026-01-05"), Passed("EXAM", "2026-03-01")), "route");
        Assert.Equal("one of (all of M1, M2), EXAM — 1 done, met on 2026-03-01", explanation.Rule.Description);
        Assert.Equal("missing: all of M1, M2 — 1 of 2 done", explanation.Rule.Children[0].Description);
        Assert.Equal("EXAM passed on 2026-03-01 (pass required)", explanation.Rule.Children[1].Description);
    }

    [Fact]
    public void Window_exceeded_is_explained()
    {
        var explanation = CreateSut().Explain(Progress(Passed("COURSE", "2023-01-05"), Passed("EXAM", "2026-03-01", score: 90m)), "cert");
        Assert.Equal(RuleKind.Within, explanation.Rule.Kind);
        Assert.False(explanation.Rule.Met);
        Assert.Equal("missing: all of COURSE, EXAM within 18 months — done, but not within 18 months of each other", explanation.Rule.Description);
        Assert.True(explanation.Rule.Children[0].Met);
    }

    [Fact]
    public void Window_met_names_its_first_and_last_day()
    {
        var explanation = CreateSut().Explain(Progress(Passed("COURSE", "2025-12-05"), Passed("EXAM", "2026-03-01", score: 90m)), "cert");
        Assert.Equal("all of COURSE, EXAM within 18 months — done between 2025-12-05 and 2026-03-01", explanation.Rule.Description);
    }

    [Fact]
    public void Plain_text_renders_the_tree_with_check_boxes()
    {
        var text = CreateSut().Explain(Progress(Passed("ELEC3", "2026-02-01")), "electives").ToPlainText();
        Assert.Equal(
            """
            Badge electives (electives): not earned yet
              [ ] missing: any 2 of ELEC1, ELEC2, ELEC3, ELEC4 — 1 done
                [ ] missing: ELEC1 — not completed yet
                [ ] missing: ELEC2 — not completed yet
                [x] ELEC3 passed on 2026-02-01
                [ ] missing: ELEC4 — not completed yet

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            text);
    }

    [Fact]
    public void Explaining_an_unknown_achievement_is_a_fault()
    {
        Assert.Throws<ArgumentException>(() => CreateSut().Explain(Progress(), "nope"));
    }
}
