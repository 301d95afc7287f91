using System.Globalization;

namespace Pipeline.Core.Catalog.Loading;

/// <summary>Checks what files refer to across the catalog: issuers, stacked achievements, grade scales and grades, and stacking cycles.</summary>
internal static class ReferenceChecker
{
    public static void Check(
        List<CatalogError> errors,
        Dictionary<string, Located<Issuer>> issuers,
        Dictionary<string, Located<LoadedAchievement>> achievements,
        Dictionary<string, GradeScale> scales,
        string? defaultScale,
        Dictionary<string, CatalogActivity> activities)
    {
        foreach (var (_, located) in achievements.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var achievement = located.Value.Achievement;
            if (!issuers.ContainsKey(achievement.IssuerId))
            {
                errors.Add(new CatalogError(CatalogErrorCode.UnknownIssuer, located.File, "/issuer", "unknown issuer",
                    $"the id of an issuer in {CatalogLoader.IssuersFolder}/: " + string.Join(", ", issuers.Keys.Order(StringComparer.Ordinal)),
                    $"\"{achievement.IssuerId}\""));
            }
            foreach (var reference in located.Value.References)
            {
                switch (reference)
                {
                    case EarnedReference earned when !achievements.ContainsKey(earned.Target):
                        errors.Add(new CatalogError(CatalogErrorCode.UnknownAchievement, earned.File, earned.Pointer,
                            "earned rule names an unknown achievement", $"the id of an achievement in {CatalogLoader.AchievementsFolder}/",
                            $"\"{earned.Target}\""));
                        break;
                    case GradeReference grade:
                        CheckGrade(errors, grade, scales, defaultScale, activities);
                        break;
                }
            }
        }
        CheckCycles(errors, achievements);
    }

    private static void CheckGrade(List<CatalogError> errors, GradeReference grade, Dictionary<string, GradeScale> scales, string? defaultScale, Dictionary<string, CatalogActivity> activities)
    {
        var scaleName = activities.TryGetValue(grade.Activity, out var activity) && activity.GradeScale is { } own ? own : defaultScale;
        if (scaleName is null || !scales.TryGetValue(scaleName, out var scale))
        {
            errors.Add(new CatalogError(CatalogErrorCode.UnknownGradeScale, grade.File, grade.Pointer,
                $"no grade scale for activity \"{grade.Activity}\"",
                $"a \"default\" scale in {CatalogLoader.GradeScalesFile} or a \"gradeScale\" for the activity in {CatalogLoader.ActivitiesFile}", "none"));
            return;
        }
        if (!scale.Contains(grade.Grade))
        {
            errors.Add(new CatalogError(CatalogErrorCode.UnknownGrade, grade.File, grade.Pointer,
                $"unknown grade on scale \"{scale.Name}\"", "one of " + string.Join(", ", scale.Grades), $"\"{grade.Grade}\""));
        }
    }

    /// <summary>Finds each stacking cycle once and names it, e.g. "a → b → c → a".</summary>
    private static void CheckCycles(List<CatalogError> errors, Dictionary<string, Located<LoadedAchievement>> achievements)
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal);
        var path = new List<EarnedReference>();

        void Visit(string id)
        {
            state[id] = false;
            foreach (var edge in achievements[id].Value.References.OfType<EarnedReference>())
            {
                if (!achievements.ContainsKey(edge.Target))
                {
                    continue;
                }
                if (!state.TryGetValue(edge.Target, out var finished))
                {
                    path.Add(edge);
                    Visit(edge.Target);
                    path.RemoveAt(path.Count - 1);
                }
                else if (!finished)
                {
                    var start = path.FindIndex(e => e.From == edge.Target);
                    var cycle = path.Skip(start < 0 ? path.Count : start).Append(edge).ToList();
                    var names = string.Join(" → ", cycle.Select(e => e.From).Append(edge.Target));
                    errors.Add(new CatalogError(CatalogErrorCode.StackingCycle, edge.File, edge.Pointer,
                        $"stacking cycle: {names}", "achievements that stack without a cycle",
                        $"{cycle.Count.ToString(CultureInfo.InvariantCulture)} achievement(s) each needing the next: {names}"));
                }
            }
            state[id] = true;
        }

        foreach (var id in achievements.Keys.Order(StringComparer.Ordinal))
        {
            if (!state.ContainsKey(id))
            {
                Visit(id);
            }
        }
    }
}
