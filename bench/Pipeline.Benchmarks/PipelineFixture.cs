using System.Text;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Pathways;
using Pipeline.Core.Signing;
using Pipeline.Local.Demo;

namespace Pipeline.Benchmarks;

/// <summary>
/// What the micro benchmarks share: the sample catalog (copied next to the binary), a key folder of fresh issuer
/// keys, the generated term's CSV, and a credential request shaped like the pipeline's.
/// </summary>
public sealed class PipelineFixture : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] SubjectSecret = Encoding.ASCII.GetBytes("bench-subject-secret-0123456789ab");
    private readonly string _keyFolder = Directory.CreateTempSubdirectory("pipeline-bench-keys-").FullName;

    public PipelineFixture()
    {
        Catalog = CatalogLoader.Load(Path.Combine(AppContext.BaseDirectory, "catalog")).GetCatalogOrThrow();
        Signer = new LocalJwkSigner(_keyFolder);
    }

    public PipelineCatalog Catalog { get; }

    public LocalJwkSigner Signer { get; }

    /// <summary>The first issuer (by id) whose key has <paramref name="algorithm"/>.</summary>
    public Issuer IssuerWith(SigningAlgorithm algorithm) =>
        Catalog.Issuers.Values.OrderBy(i => i.Id, StringComparer.Ordinal).First(i => i.Key.Algorithm == algorithm);

    /// <summary>The generated term's CSV (header first) for <paramref name="learners"/> learners: the bench command's generator and seed.</summary>
    public byte[] TermCsv(int learners)
    {
        var text = new StringBuilder();
        foreach (var row in new TermGenerator(Catalog).Rows(learners))
        {
            text.Append(row).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>A request for the issuer's first achievement, with two evidence items, as the Issue stage builds one.</summary>
    public OpenBadgeCredentialRequest Request(Issuer issuer)
    {
        var achievement = Catalog.Achievements.Values.OrderBy(a => a.Id, StringComparer.Ordinal).First(a => Catalog.IssuerOf(a).Id == issuer.Id);
        return new OpenBadgeCredentialRequest
        {
            Issuer = issuer,
            Achievement = achievement,
            Learner = new LearnerProfile { LearnerId = "S100001", Email = "ana.lopez@example.edu", GivenName = "Ana", FamilyName = "Lopez" },
            SubjectId = RecipientIdentity.SubjectId(issuer.Id, "S100001", SubjectSecret),
            RecipientSalt = "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
            AwardedAt = Now.AddDays(-1),
            ValidFrom = Now,
            Evidence =
            [
                new CredentialEvidence { Name = "Course one", Narrative = "Passed on 2026-05-01 with grade A." },
                new CredentialEvidence { Name = "Course two", Narrative = "Passed on 2026-05-20 with grade B+." },
            ],
            CreditsEarned = achievement.CreditsAvailable,
            Status = new StatusListEntry(issuer.Urls.StatusList(issuer.Id, "1"), 4242),
            AchievementImage = issuer.Urls.AchievementImage(achievement.Id, "png"),
        };
    }

    public void Dispose()
    {
        Signer.Dispose();
        Directory.Delete(_keyFolder, recursive: true);
    }
}
