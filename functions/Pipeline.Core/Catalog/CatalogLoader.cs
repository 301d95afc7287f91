using System.Text.Json;
using Pipeline.Core.Catalog.Loading;

namespace Pipeline.Core.Catalog;

/// <summary>
/// Loads a catalog folder (layout in docs/catalog.md): <c>issuers/*.json</c>, <c>achievements/*.json</c>,
/// optional <c>grade-scales.json</c> and <c>activities.json</c>, and the images they name. Every error in every
/// file is reported at once; a catalog is returned only when there is none.
/// </summary>
public static class CatalogLoader
{
    public const string IssuersFolder = "issuers";
    public const string AchievementsFolder = "achievements";
    public const string GradeScalesFile = "grade-scales.json";
    public const string ActivitiesFile = "activities.json";
    public const string SisMapsFolder = "sis-maps";
    public const string PartnersFolder = "partners";

    public static CatalogLoadResult Load(string catalogFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(catalogFolder);
        var root = Path.GetFullPath(catalogFolder);
        var errors = new List<CatalogError>();
        if (!Directory.Exists(root))
        {
            errors.Add(new CatalogError(CatalogErrorCode.MissingFolder, catalogFolder, string.Empty, "catalog folder not found",
                "a folder holding issuers/ and achievements/", "nothing"));
            return CatalogLoadResult.Failure(errors);
        }

        var folder = new CatalogFolder(root, errors);
        var (scales, defaultScale) = GradeScaleReader.ReadGradeScales(root, errors);
        var activities = GradeScaleReader.ReadActivities(root, errors, scales);
        var issuers = folder.ReadAll(IssuersFolder, (reader, top) => IssuerReader.Read(reader, top, folder), i => i.Id, "issuer");
        var achievements = folder.ReadAll(AchievementsFolder, (reader, top) => AchievementReader.Read(reader, top, folder), a => a.Achievement.Id, "achievement");
        ReferenceChecker.Check(errors, issuers, achievements, scales, defaultScale, activities);
        var sisMaps = ReadOptional(folder, root, SisMapsFolder, SisMapLoader.Read, m => m.Name, "SIS map");
        var partners = ReadOptional(folder, root, PartnersFolder, PartnerReader.Read, p => p.Id, "partner");

        if (errors.Count > 0)
        {
            return CatalogLoadResult.Failure(errors);
        }
        return CatalogLoadResult.Success(new PipelineCatalog(
            root,
            issuers.Values.Select(i => i.Value),
            achievements.Values.Select(a => a.Value.Achievement),
            scales.Values,
            defaultScale,
            activities.Values,
            sisMaps,
            partners));
    }

    /// <summary>An optional folder of one-object files (<c>sis-maps/</c>, <c>partners/</c>): nothing when absent.</summary>
    private static List<T> ReadOptional<T>(CatalogFolder folder, string root, string name, Func<CatalogFileReader, JsonElement, T?> read, Func<T, string> id, string what)
        where T : class =>
        Directory.Exists(Path.Combine(root, name)) ? folder.ReadAll(name, read, id, what).Values.Select(v => v.Value).ToList() : [];
}
