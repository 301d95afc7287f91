namespace Pipeline.Core.Catalog;

/// <summary>A named, ordered list of grades, best first (e.g. "us-letter": A, A-, B+, …, F). Grades compare case-insensitively.</summary>
public sealed record GradeScale
{
    public GradeScale(string name, IReadOnlyList<string> grades)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(grades);
        Name = name;
        Grades = grades;
    }

    public string Name { get; }

    /// <summary>Best first.</summary>
    public IReadOnlyList<string> Grades { get; }

    /// <summary>0 for the best grade, increasing; <c>null</c> when the grade is not on this scale.</summary>
    public int? Rank(string? grade)
    {
        if (grade is null)
        {
            return null;
        }
        var trimmed = grade.Trim();
        for (var i = 0; i < Grades.Count; i++)
        {
            if (string.Equals(Grades[i], trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return null;
    }

    public bool Contains(string? grade) => Rank(grade) is not null;

    /// <summary>Whether <paramref name="grade"/> is on the scale and at least as good as <paramref name="minimum"/>.</summary>
    public bool IsAtLeast(string? grade, string minimum) =>
        Rank(grade) is { } rank && Rank(minimum) is { } floor && rank <= floor;
}

/// <summary>
/// An activity the catalog knows by name (a course, module, assessment), and the grade scale its grades are on.
/// Rules may name activities the catalog does not list; those use the default grade scale.
/// </summary>
public sealed record CatalogActivity(string Id, string? Name, string? GradeScale);
