using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Pathways;
using Pipeline.Core.Signing;

namespace Pipeline.Core.Tests.TestData;

/// <summary>Fixed issuers, achievements, learners and award facts; the committed test keys; the shared OB 3.0 schemas.</summary>
internal static class CredentialTestData
{
    public static readonly Uri Base = new("https://badges.example.edu/");
    public static readonly DateTimeOffset AwardedAt = new(2026, 1, 14, 16, 30, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset ValidFrom = new(2026, 1, 15, 10, 0, 0, TimeSpan.Zero);
    /// <summary>A moment inside every test credential's validity window.</summary>
    public static readonly DateTimeOffset Now = new(2026, 2, 1, 12, 0, 0, TimeSpan.Zero);
    public const string Salt = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    public static readonly byte[] SubjectSecret = Encoding.ASCII.GetBytes("test-subject-secret-0123456789ab");

    public static string KeyFolder => Path.Combine(RepositoryPaths.Root, "tests", "Pipeline.Core.Tests", "TestData", "Keys");

    public static Issuer Issuer(SigningAlgorithm algorithm = SigningAlgorithm.RS256) => new()
    {
        Id = "engineering",
        Name = "College of Engineering",
        Url = new Uri("https://engineering.example.edu/"),
        Email = "badges@engineering.example.edu",
        Description = "Micro-credentials of the College of Engineering.",
        ImagePath = "issuers/engineering.png",
        Key = algorithm == SigningAlgorithm.RS256
            ? new SigningKeyReference("test-rs256", SigningAlgorithm.RS256)
            : new SigningKeyReference("test-es256", SigningAlgorithm.ES256),
        PublicBaseUrl = Base,
    };

    /// <summary>The smallest achievement: name, description, narrative criteria, no extras.</summary>
    public static Achievement SimpleBadge() => new()
    {
        Id = "intro-robotics",
        IssuerId = "engineering",
        Name = "Introduction to Robotics",
        Description = "Completed the introductory robotics module.",
        Criteria = new Criteria("Complete the module **ROB100**.", null),
        ImagePngPath = "images/intro-robotics.png",
        ImageSvgPath = "images/intro-robotics.svg",
        Rule = new ActivityRule("ROB100"),
    };

    /// <summary>A for-credit certificate: criteria URL, alignments, tags, credits, field of study, code, evidence, 2-year expiry.</summary>
    public static Achievement Certificate() => new()
    {
        Id = "ml-certificate",
        IssuerId = "engineering",
        Name = "Machine Learning Certificate",
        Description = "Six credits of graduate machine learning with a B or better.",
        Criteria = new Criteria("Pass ML501 and ML502 with a B or better.", new Uri("https://engineering.example.edu/ml/criteria")),
        ImagePngPath = "images/ml.png",
        ImageSvgPath = "images/ml.svg",
        ImageCaption = "Machine Learning Certificate badge",
        Tags = ["machine learning", "graduate"],
        Alignments =
        [
            new Alignment
            {
                TargetName = "Machine learning",
                TargetUrl = new Uri("https://credentialengineregistry.org/resources/ce-ml"),
                TargetDescription = "Build and evaluate supervised models.",
                TargetFramework = "Credential Engine",
                TargetCode = "CE-ML",
                TargetType = "ceterms:Credential",
            },
            new Alignment { TargetName = "Data literacy", TargetUrl = new Uri("https://example.org/frameworks/data#literacy") },
        ],
        AchievementType = "Certificate",
        CreditsAvailable = 6,
        FieldOfStudy = "Computer Science",
        HumanCode = "ML-CERT",
        Evidence = [new EvidenceTemplate { Url = new Uri("https://engineering.example.edu/ml/portfolio"), Name = "Portfolio guideline" }],
        Expiry = new ExpiryPolicy { Years = 2 },
        Rule = new AllOfRule([new ActivityRule("ML501") { MinimumGrade = "B" }, new ActivityRule("ML502") { MinimumGrade = "B" }]),
    };

    /// <summary>A yearly renewed certification (award period) with an extension achievement type and a 1-year expiry.</summary>
    public static Achievement YearlyCertification() => new()
    {
        Id = "lab-safety",
        IssuerId = "engineering",
        Name = "Lab Safety Certification",
        Description = "Current lab safety certification; renewed every year.",
        Criteria = new Criteria("Pass the yearly lab safety assessment with 80 or more.", null),
        ImagePngPath = "images/lab-safety.png",
        ImageSvgPath = "images/lab-safety.svg",
        AchievementType = "ext:Certification",
        Expiry = new ExpiryPolicy { Years = 1 },
        Rule = new ActivityRule("SAFETY") { MinimumScore = 80 },
    };

    public static IEnumerable<Achievement> Achievements() => [SimpleBadge(), Certificate(), YearlyCertification()];

    public static LearnerProfile Learner() => new()
    {
        LearnerId = "S1001",
        Email = " Ana.Lopez@Example.EDU ",
        GivenName = "Ana",
        FamilyName = "López",
    };

    public static OpenBadgeCredentialRequest Request(Achievement achievement, Issuer? issuer = null)
    {
        var theIssuer = issuer ?? Issuer();
        return new OpenBadgeCredentialRequest
        {
            Issuer = theIssuer,
            Achievement = achievement,
            Learner = Learner(),
            SubjectId = RecipientIdentity.SubjectId(theIssuer.Id, "S1001", SubjectSecret),
            RecipientSalt = Salt,
            AwardedAt = AwardedAt,
            ValidFrom = ValidFrom,
            AwardPeriod = achievement.Id == "lab-safety" ? "2026" : null,
            Results = achievement.Id == "ml-certificate" ? [new CredentialResult("A-")] : [],
            Evidence = achievement.Id == "ml-certificate"
                ? [new CredentialEvidence { Name = "ML501", Narrative = "Completed ML501 with A." }, new CredentialEvidence { Name = "ML502", Narrative = "Completed ML502 with A-." }]
                : [],
            CreditsEarned = achievement.CreditsAvailable,
            Status = new StatusListEntry(theIssuer.Urls.StatusList(theIssuer.Id, "1"), 94567),
            AchievementImage = new Uri(Base, $"achievements/{achievement.Id}/image.png"),
            IssuerImage = new Uri(Base, "issuers/engineering/image.png"),
        };
    }

    public static LocalJwkSigner Signer() => new(KeyFolder);

    /// <summary>Validates against the shared (not the embedded) schema file; returns error strings, empty when valid.</summary>
    public static IReadOnlyList<string> SchemaErrors(string schemaFile, JsonNode instance)
    {
        var schema = JsonSchema.FromText(
            File.ReadAllText(RepositoryPaths.Standard("ob3", "schemas", schemaFile)),
            new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        using var document = JsonDocument.Parse(instance.ToJsonString());
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")), "invalid"];
    }
}
