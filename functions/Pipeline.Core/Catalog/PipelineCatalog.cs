using Pipeline.Core.Pathways;
using Pipeline.Core.Stages.Ingest;

namespace Pipeline.Core.Catalog;

/// <summary>
/// The validated catalog: issuers, achievements with their pathway rules, grade scales and named activities,
/// as loaded from a catalog folder by <see cref="CatalogLoader"/>. Every cross-reference in it resolves
/// (issuers, stacked achievements, grades) and stacking has no cycle.
/// Named <c>PipelineCatalog</c> rather than <c>Catalog</c> so it does not collide with its namespace.
/// </summary>
public sealed class PipelineCatalog
{
    internal PipelineCatalog(
        string rootPath,
        IEnumerable<Issuer> issuers,
        IEnumerable<Achievement> achievements,
        IEnumerable<GradeScale> gradeScales,
        string? defaultGradeScale,
        IEnumerable<CatalogActivity> activities,
        IEnumerable<SisColumnMap> sisMaps,
        IEnumerable<Partner>? partners = null)
    {
        RootPath = rootPath;
        Issuers = issuers.ToDictionary(i => i.Id, StringComparer.Ordinal);
        Achievements = achievements.ToDictionary(a => a.Id, StringComparer.Ordinal);
        GradeScales = gradeScales.ToDictionary(s => s.Name, StringComparer.Ordinal);
        DefaultGradeScale = defaultGradeScale is null ? null : GradeScales[defaultGradeScale];
        Activities = activities.ToDictionary(a => a.Id, StringComparer.Ordinal);
        StackingOrder = OrderForStacking(Achievements);
        SisMaps = [.. sisMaps];
        Partners = (partners ?? []).ToDictionary(p => p.Id, StringComparer.Ordinal);
        _pathwayActivities = Achievements.Values
            .SelectMany(a => RuleWalker.Descendants(a.Rule))
            .OfType<ActivityRule>()
            .Select(r => r.Activity)
            .ToHashSet(StringComparer.Ordinal);
    }

    private readonly HashSet<string> _pathwayActivities;

    /// <summary>SIS export column maps (<c>sis-maps/*.json</c>); empty when the catalog has none.</summary>
    public IReadOnlyList<SisColumnMap> SisMaps { get; }

    /// <summary>Webhook partners (<c>partners/*.json</c>) by id; empty when the catalog has none.</summary>
    public IReadOnlyDictionary<string, Partner> Partners { get; }

    /// <summary>True when some pathway rule names the activity (SIS rows for other activities are ignored, not rejected).</summary>
    public bool IsPathwayActivity(string activityId) => _pathwayActivities.Contains(activityId);

    /// <summary>Full path of the catalog folder; image paths in the catalog are relative to it.</summary>
    public string RootPath { get; }

    public IReadOnlyDictionary<string, Issuer> Issuers { get; }

    public IReadOnlyDictionary<string, Achievement> Achievements { get; }

    public IReadOnlyDictionary<string, GradeScale> GradeScales { get; }

    /// <summary>The scale of activities that do not name one; <c>null</c> when the catalog has no default.</summary>
    public GradeScale? DefaultGradeScale { get; }

    public IReadOnlyDictionary<string, CatalogActivity> Activities { get; }

    /// <summary>Achievements ordered so that every achievement comes after those its rule stacks on (ties by id).</summary>
    public IReadOnlyList<Achievement> StackingOrder { get; }

    public Issuer IssuerOf(Achievement achievement)
    {
        ArgumentNullException.ThrowIfNull(achievement);
        return Issuers[achievement.IssuerId];
    }

    /// <summary>The grade scale an activity's grades are on: its own, else the default.</summary>
    public GradeScale? GradeScaleFor(string activityId) =>
        Activities.TryGetValue(activityId, out var activity) && activity.GradeScale is { } name
            ? GradeScales[name]
            : DefaultGradeScale;

    /// <summary>How to name an activity to a person: "CS101 Introduction to Programming", or the id alone.</summary>
    public string DisplayActivity(string activityId) =>
        Activities.TryGetValue(activityId, out var activity) && activity.Name is { } name ? $"{activityId} {name}" : activityId;

    /// <summary>Resolves a catalog-relative path (e.g. an image) to a full path.</summary>
    public string ResolvePath(string relativePath) =>
        Path.GetFullPath(Path.Combine(RootPath, relativePath.Replace('/', Path.DirectorySeparatorChar)));

    private static List<Achievement> OrderForStacking(IReadOnlyDictionary<string, Achievement> achievements)
    {
        var order = new List<Achievement>(achievements.Count);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var inProgress = new HashSet<string>(StringComparer.Ordinal);

        void Visit(Achievement achievement)
        {
            if (done.Contains(achievement.Id))
            {
                return;
            }
            if (!inProgress.Add(achievement.Id))
            {
                throw new InvalidOperationException($"Stacking cycle through achievement '{achievement.Id}'; the loader rejects these.");
            }
            foreach (var stacked in RuleWalker.EarnedReferences(achievement.Rule).Order(StringComparer.Ordinal))
            {
                Visit(achievements[stacked]);
            }
            inProgress.Remove(achievement.Id);
            done.Add(achievement.Id);
            order.Add(achievement);
        }

        foreach (var achievement in achievements.Values.OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            Visit(achievement);
        }
        return order;
    }
}
