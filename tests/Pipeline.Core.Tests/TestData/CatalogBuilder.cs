using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;
using Pipeline.Core.Signing;

namespace Pipeline.Core.Tests.TestData;

/// <summary>An in-memory catalog with one issuer, the "us-letter" default scale and an "honors" scale.</summary>
internal sealed class CatalogBuilder
{
    public static readonly GradeScale UsLetter = new("us-letter", ["A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F"]);
    public static readonly GradeScale Honors = new("honors", ["High Pass", "Pass", "Low Pass", "Fail"]);

    private readonly List<Achievement> _achievements = [];
    private readonly List<CatalogActivity> _activities = [];

    public CatalogBuilder With(string id, PathwayRule rule, ExpiryPolicy? expiry = null)
    {
        _achievements.Add(new Achievement
        {
            Id = id,
            IssuerId = "test-issuer",
            Name = "Badge " + id,
            Description = "Test achievement " + id,
            Criteria = new Criteria("Do the thing.", null),
            ImagePngPath = $"images/{id}.png",
            ImageSvgPath = $"images/{id}.svg",
            Expiry = expiry,
            Rule = rule,
        });
        return this;
    }

    public CatalogBuilder WithActivity(string id, string? name, string? gradeScale = null)
    {
        _activities.Add(new CatalogActivity(id, name, gradeScale));
        return this;
    }

    public PipelineCatalog Build() => new(
        Path.GetTempPath(),
        [
            new Issuer
            {
                Id = "test-issuer",
                Name = "Test University",
                Url = new Uri("https://www.example.edu/"),
                Email = "badges@example.edu",
                Key = new SigningKeyReference("test-key", SigningAlgorithm.RS256),
                PublicBaseUrl = new Uri("https://badges.example.edu/"),
            },
        ],
        _achievements,
        [UsLetter, Honors],
        UsLetter.Name,
        _activities,
        []);

    public PathwayEvaluator BuildEvaluator() => new(Build());
}
