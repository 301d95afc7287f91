using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;
using Pipeline.Core.Tests.TestData;
using static Pipeline.Core.Tests.TestData.Completions;

namespace Pipeline.Core.Tests.Pathways;

public sealed class PathwayEvaluatorTests
{
    private static PathwayEvaluator CreateSut(string id, PathwayRule rule, ExpiryPolicy? expiry = null) =>
        new CatalogBuilder().With(id, rule, expiry).WithActivity("CAP", "Capstone", "honors").BuildEvaluator();

    private static ActivityRule Activity(string id) => new(id);

    [Fact]
    public void Activity_rule_is_earned_at_the_completion_time_and_names_the_event()
    {
        var completion = Completed("CS101", "2026-05-01T10:00:00Z");
        var earned = Assert.Single(CreateSut("b", Activity("CS101")).Evaluate(Progress(completion)));
        Assert.Equal("b", earned.AchievementId);
        Assert.Equal(At("2026-05-01T10:00:00Z"), earned.AwardedAt);
        Assert.Equal([completion.Id], earned.EventIds);
        Assert.Empty(earned.StackedOn);
        Assert.Null(earned.ValidUntil);
    }

    [Fact]
    public void Nothing_is_earned_without_the_activity()
    {
        Assert.Empty(CreateSut("b", Activity("CS101")).Evaluate(Progress(Passed("CS102", "2026-05-01"))));
    }

    [Fact]
    public void A_failed_outcome_never_satisfies_even_with_a_good_grade()
    {
        var sut = CreateSut("b", Activity("CS101") with { MinimumGrade = "C" });
        Assert.Empty(sut.Evaluate(Progress(Failed("CS101", "2026-05-01", grade: "A"))));
    }

    [Fact]
    public void Failed_then_passed_retake_is_earned_at_the_retake()
    {
        var retake = Passed("CS101", "2026-09-01", grade: "B");
        var sut = CreateSut("b", Activity("CS101") with { RequirePass = true });
        var earned = Assert.Single(sut.Evaluate(Progress(Failed("CS101", "2026-05-01", grade: "F"), retake)));
        Assert.Equal(At("2026-09-01"), earned.AwardedAt);
        Assert.Equal([retake.Id], earned.EventIds);
    }

    [Fact]
    public void RequirePass_is_not_met_by_a_completion_without_a_pass()
    {
        var sut = CreateSut("b", Activity("CS101") with { RequirePass = true });
        Assert.Empty(sut.Evaluate(Progress(Completed("CS101", "2026-05-01"))));
    }

    [Theory]
    [InlineData(69.99, false)]
    [InlineData(70, true)]
    [InlineData(100, true)]
    public void MinimumScore_needs_a_score_at_least_the_minimum(double score, bool expected)
    {
        var sut = CreateSut("b", Activity("QUIZ") with { MinimumScore = 70m });
        Assert.Equal(expected, sut.Evaluate(Progress(Passed("QUIZ", "2026-05-01", score: (decimal)score))).Count == 1);
    }

    [Fact]
    public void MinimumScore_is_not_met_without_a_score()
    {
        Assert.Empty(CreateSut("b", Activity("QUIZ") with { MinimumScore = 70m }).Evaluate(Progress(Passed("QUIZ", "2026-05-01"))));
    }

    [Theory]
    [InlineData("A", true)]
    [InlineData("B", true)]
    [InlineData("b", true)]
    [InlineData("B-", false)]
    [InlineData("F", false)]
    [InlineData("Q", false)]
    [InlineData(null, false)]
    public void MinimumGrade_compares_on_the_default_scale(string? grade, bool expected)
    {
        var sut = CreateSut("b", Activity("CS101") with { MinimumGrade = "B" });
        Assert.Equal(expected, sut.Evaluate(Progress(Passed("CS101", "2026-05-01", grade))).Count == 1);
    }

    [Theory]
    [InlineData("High Pass", true)]
    [InlineData("Pass", true)]
    [InlineData("Low Pass", false)]
    [InlineData("A", false)]
    public void MinimumGrade_compares_on_the_activity_s_own_scale(string grade, bool expected)
    {
        var sut = CreateSut("b", Activity("CAP") with { MinimumGrade = "Pass" });
        Assert.Equal(expected, sut.Evaluate(Progress(Passed("CAP", "2026-05-01", grade))).Count == 1);
    }

    [Fact]
    public void Grade_below_minimum_then_a_better_retake_is_earned_at_the_retake()
    {
        var sut = CreateSut("b", Activity("CS101") with { MinimumGrade = "B" });
        var earned = Assert.Single(sut.Evaluate(Progress(Passed("CS101", "2026-05-01", "C"), Passed("CS101", "2026-12-15", "B+"))));
        Assert.Equal(At("2026-12-15"), earned.AwardedAt);
    }

    [Fact]
    public void AllOf_is_earned_when_the_last_part_is_done_and_uses_every_part()
    {
        var a = Passed("A", "2026-01-10");
        var b = Passed("B", "2026-03-10");
        var earned = Assert.Single(CreateSut("b", new AllOfRule([Activity("A"), Activity("B")])).Evaluate(Progress(b, a)));
        Assert.Equal(At("2026-03-10"), earned.AwardedAt);
        Assert.Equal(new[] { a.Id, b.Id }.Order(StringComparer.Ordinal), earned.EventIds);
    }

    [Fact]
    public void AllOf_with_a_part_missing_is_not_earned()
    {
        Assert.Empty(CreateSut("b", new AllOfRule([Activity("A"), Activity("B")])).Evaluate(Progress(Passed("A", "2026-01-10"))));
    }

    [Fact]
    public void AnyOf_is_earned_by_the_earliest_route_and_records_only_that_route()
    {
        var rule = new AnyOfRule([new AllOfRule([Activity("M1"), Activity("M2"), Activity("EXAM")]), Activity("EXAM") with { MinimumScore = 80m }]);
        var exam = Passed("EXAM", "2026-02-01", score: 85m);
        var earned = Assert.Single(CreateSut("b", rule).Evaluate(Progress(Passed("M1", "2026-01-01"), exam)));
        Assert.Equal(At("2026-02-01"), earned.AwardedAt);
        Assert.Equal([exam.Id], earned.EventIds);
    }

    [Fact]
    public void AnyOf_alternative_route_is_earned_when_the_other_is_not()
    {
        var rule = new AnyOfRule([new AllOfRule([Activity("M1"), Activity("M2"), Activity("EXAM")]), Activity("EXAM") with { MinimumScore = 80m }]);
        var events = new[] { Passed("M1", "2026-01-01"), Passed("M2", "2026-01-05"), Passed("EXAM", "2026-02-01", score: 60m) };
        var earned = Assert.Single(CreateSut("b", rule).Evaluate(Progress(events)));
        Assert.Equal(3, earned.EventIds.Count);
    }

    [Fact]
    public void AtLeast_is_earned_at_the_nth_earliest_part()
    {
        var rule = new AtLeastRule(2, [Activity("E1"), Activity("E2"), Activity("E3"), Activity("E4")]);
        var events = new[] { Passed("E3", "2026-06-01"), Passed("E1", "2026-03-01"), Passed("E4", "2026-04-01") };
        var earned = Assert.Single(CreateSut("b", rule).Evaluate(Progress(events)));
        Assert.Equal(At("2026-04-01"), earned.AwardedAt);
        Assert.Equal(new[] { events[1].Id, events[2].Id }.Order(StringComparer.Ordinal), earned.EventIds);
    }

    [Fact]
    public void AtLeast_with_too_few_parts_is_not_earned()
    {
        var rule = new AtLeastRule(2, [Activity("E1"), Activity("E2"), Activity("E3"), Activity("E4")]);
        Assert.Empty(CreateSut("b", rule).Evaluate(Progress(Passed("E1", "2026-03-01"), Failed("E2", "2026-03-02"))));
    }

    [Fact]
    public void Stacking_chain_three_deep_is_earned_to_a_fixpoint_at_the_inputs_award_times()
    {
        var sut = new CatalogBuilder()
            .With("top", new EarnedRule("middle"))
            .With("middle", new AllOfRule([new EarnedRule("base"), Activity("B")]))
            .With("base", Activity("A"))
            .BuildEvaluator();
        var earned = sut.Evaluate(Progress(Passed("B", "2026-04-01"), Passed("A", "2026-02-01")));
        Assert.Equal(["base", "middle", "top"], earned.Select(e => e.AchievementId));
        Assert.Equal([At("2026-02-01"), At("2026-04-01"), At("2026-04-01")], earned.Select(e => e.AwardedAt));
        Assert.Equal(["base"], earned[1].StackedOn);
        Assert.Equal(["middle"], earned[2].StackedOn);
    }

    [Fact]
    public void Achievements_already_held_are_not_returned_but_stack_at_their_recorded_time()
    {
        var sut = new CatalogBuilder()
            .With("macro", new AllOfRule([new EarnedRule("l1"), new EarnedRule("l2")]))
            .With("l1", Activity("A"))
            .With("l2", Activity("B"))
            .BuildEvaluator();
        var progress = new LearnerProgress(Learner,
            [Passed("A", "2026-02-01"), Passed("B", "2026-05-01")],
            [new PriorAward("l1", At("2026-02-03"))]);
        var earned = sut.Evaluate(progress);
        Assert.Equal(["l2", "macro"], earned.Select(e => e.AchievementId));
        Assert.Equal(At("2026-05-01"), earned[1].AwardedAt);
    }

    [Fact]
    public void Within_window_exceeded_is_not_earned()
    {
        var rule = new WithinRule(new WindowLength(12, 0), new AllOfRule([Activity("COURSE"), Activity("EXAM")]));
        Assert.Empty(CreateSut("cert", rule).Evaluate(Progress(Passed("COURSE", "2024-01-10"), Passed("EXAM", "2025-01-11"))));
    }

    [Fact]
    public void Within_window_exactly_met_on_the_boundary_is_earned()
    {
        var rule = new WithinRule(new WindowLength(12, 0), new AllOfRule([Activity("COURSE"), Activity("EXAM")]));
        Assert.Single(CreateSut("cert", rule).Evaluate(Progress(Passed("COURSE", "2024-01-10"), Passed("EXAM", "2025-01-10"))));
    }

    [Fact]
    public void Within_uses_the_earliest_window_that_holds_every_fact()
    {
        var rule = new WithinRule(new WindowLength(12, 0), new AllOfRule([Activity("COURSE"), Activity("EXAM")]));
        var retake = Passed("COURSE", "2026-01-15");
        var exam = Passed("EXAM", "2026-03-01");
        var earned = Assert.Single(CreateSut("cert", rule, new ExpiryPolicy { Years = 3 })
            .Evaluate(Progress(Passed("COURSE", "2023-06-01"), exam, retake, Passed("EXAM", "2026-04-01"))));
        Assert.Equal(At("2026-03-01"), earned.AwardedAt);
        Assert.Equal(new[] { retake.Id, exam.Id }.Order(StringComparer.Ordinal), earned.EventIds);
        Assert.Equal(At("2029-03-01"), earned.ValidUntil);
    }

    [Fact]
    public void The_same_fact_twice_counts_once()
    {
        var a = Passed("A", "2026-01-10");
        var earned = Assert.Single(CreateSut("b", new AtLeastRule(1, [Activity("A")])).Evaluate(Progress(a, a with { })));
        Assert.Equal([a.Id], earned.EventIds);
    }

    [Fact]
    public void Events_of_another_learner_are_refused()
    {
        var stranger = Passed("A", "2026-01-10") with { LearnerId = "S2002" };
        Assert.Throws<ArgumentException>(() => CreateSut("b", Activity("A")).Evaluate(Progress(stranger)));
    }
}
