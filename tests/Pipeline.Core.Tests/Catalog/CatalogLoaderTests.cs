using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;
using Pipeline.Core.Signing;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Catalog;

public sealed class CatalogLoaderTests
{
    private const string GradeScales = """{ "default": "us-letter", "scales": { "us-letter": ["A", "B", "C", "F"] } }""";

    [Fact]
    public void Sample_catalog_loads_with_no_errors()
    {
        var result = CatalogLoader.Load(SampleCatalog.Folder);
        Assert.Empty(result.Errors);
        Assert.True(result.IsSuccess);
        var catalog = result.Catalog!;
        Assert.Equal(["arizona", "edlab", "umaine"], catalog.Issuers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(22, catalog.Achievements.Count);
        Assert.Equal(SigningAlgorithm.ES256, catalog.Issuers["arizona"].Key.Algorithm);
        Assert.Equal(SigningAlgorithm.RS256, catalog.Issuers["edlab"].Key.Algorithm);
    }

    [Fact]
    public void Sample_catalog_fills_every_registrar_field()
    {
        foreach (var achievement in SampleCatalog.Catalog.Achievements.Values)
        {
            Assert.False(string.IsNullOrWhiteSpace(achievement.Description));
            Assert.NotNull(achievement.Criteria.Narrative);
            Assert.NotNull(achievement.Criteria.Url);
            Assert.NotEmpty(achievement.Tags);
            Assert.NotEmpty(achievement.Alignments);
            Assert.NotEmpty(achievement.Evidence);
            Assert.NotNull(achievement.FieldOfStudy);
            Assert.NotNull(achievement.HumanCode);
            Assert.NotNull(achievement.ImageCaption);
        }
    }

    [Fact]
    public void Sample_catalog_images_are_real_small_pngs_and_svgs()
    {
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        var catalog = SampleCatalog.Catalog;
        foreach (var achievement in catalog.Achievements.Values)
        {
            var png = File.ReadAllBytes(catalog.ResolvePath(achievement.ImagePngPath));
            Assert.Equal(signature, png[..8]);
            Assert.True(png.Length < 20 * 1024, $"{achievement.ImagePngPath} is {png.Length} bytes");
            var svg = System.Xml.Linq.XDocument.Load(catalog.ResolvePath(achievement.ImageSvgPath));
            Assert.Equal("{http://www.w3.org/2000/svg}svg", svg.Root!.Name.ToString());
        }
    }

    [Fact]
    public void Sample_catalog_reads_the_registrar_friendly_forms()
    {
        var catalog = SampleCatalog.Catalog;
        var certification = catalog.Achievements["arizona-cobot-safety-certification"];
        Assert.Equal(new ExpiryPolicy { Years = 3 }, certification.Expiry);
        var within = Assert.IsType<WithinRule>(certification.Rule);
        Assert.Equal(new WindowLength(12, 0), within.Window);
        Assert.Equal(9m, catalog.Achievements["umaine-cybersecurity-foundations"].CreditsAvailable);
        Assert.Equal("MicroCredential", catalog.Achievements["umaine-cybersecurity-foundations"].AchievementType);
        Assert.Equal("honors", catalog.GradeScaleFor("DAT301")!.Name);
        Assert.Equal("us-letter", catalog.GradeScaleFor("NOT-LISTED")!.Name);
        Assert.Equal(new Uri("https://badges.maine.example.edu/"), catalog.Issuers["umaine"].PublicBaseUrl);
    }

    [Fact]
    public void Every_mistake_in_a_broken_catalog_is_reported_at_once_with_file_and_pointer()
    {
        using var folder = new CatalogFolder();
        folder.Write("grade-scales.json", GradeScales)
            .Images("good", "cycle-a", "cycle-b", "dup", "orphan", "grades", "count", "bad-url", "no-name", "ghost", "kinds")
            .Write("issuers/example.json", CatalogFolder.Issuer("example"))
            .Write("issuers/example-again.json", CatalogFolder.Issuer("example"))
            .Write("issuers/keyless.json", CatalogFolder.Issuer("keyless", key: string.Empty))
            .Write("issuers/hs256.json", CatalogFolder.Issuer("hs256", key: """{"name": "k", "algorithm": "HS256"}"""))
            .Write("issuers/bad-url.json", CatalogFolder.Issuer("bad-url-issuer", url: "www.example.edu"))
            .Write("issuers/Not_A_Slug.json", CatalogFolder.Issuer("Not_A_Slug"))
            .Write("achievements/good.json", CatalogFolder.Achievement("good", """{"rule": "activity", "activity": "CS101", "minimumGrade": "B"}"""))
            .Write("achievements/broken.json", """{ "id": "broken", "name": """)
            .Write("achievements/no-name.json", CatalogFolder.Achievement("no-name", """{"rule": "activity", "activity": "X"}""").Replace("\"name\": \"Badge no-name\",", string.Empty, StringComparison.Ordinal))
            .Write("achievements/ghost.json", CatalogFolder.Achievement("ghost", """{"rule": "allOf", "rules": [{"rule": "earned", "achievement": "does-not-exist"}]}"""))
            .Write("achievements/cycle-a.json", CatalogFolder.Achievement("cycle-a", """{"rule": "earned", "achievement": "cycle-b"}"""))
            .Write("achievements/cycle-b.json", CatalogFolder.Achievement("cycle-b", """{"rule": "earned", "achievement": "cycle-a"}"""))
            .Write("achievements/dup-1.json", CatalogFolder.Achievement("dup", """{"rule": "activity", "activity": "X"}"""))
            .Write("achievements/dup-2.json", CatalogFolder.Achievement("dup", """{"rule": "activity", "activity": "Y"}"""))
            .Write("achievements/no-image.json", CatalogFolder.Achievement("no-image", """{"rule": "activity", "activity": "X"}"""))
            .Write("achievements/orphan.json", CatalogFolder.Achievement("orphan", """{"rule": "activity", "activity": "X"}""", issuer: "nobody"))
            .Write("achievements/grades.json", CatalogFolder.Achievement("grades", """{"rule": "activity", "activity": "CS101", "minimumGrade": "B+"}"""))
            .Write("achievements/count.json", CatalogFolder.Achievement("count", """{"rule": "atLeast", "count": 3, "rules": [{"rule": "activity", "activity": "E1"}, {"rule": "activity", "activity": "E2"}]}"""))
            .Write("achievements/bad-url.json", CatalogFolder.Achievement("bad-url", """{"rule": "activity", "activity": "X"}""", criteriaUrl: "ftp:/criteria"))
            .Write("achievements/slug.json", CatalogFolder.Achievement("Data Analytics", """{"rule": "activity", "activity": "X"}""", image: "good"))
            .Write("achievements/kinds.json", CatalogFolder.Achievement("kinds",
                """{"rule": "allOf", "rules": [{"rule": "someOf", "rules": []}, {"rule": "within", "window": "18 months", "of": {"rule": "activity", "activity": "X", "minimumGrad": "B"}}]}"""));

        var result = CatalogLoader.Load(folder.Path);

        Assert.False(result.IsSuccess);
        Assert.Null(result.Catalog);
        (CatalogErrorCode Code, string File, string Pointer)[] expected =
        [
            (CatalogErrorCode.InvalidJson, "achievements/broken.json", ""),
            (CatalogErrorCode.MissingField, "achievements/no-name.json", "/name"),
            (CatalogErrorCode.UnknownAchievement, "achievements/ghost.json", "/rule/rules/0/achievement"),
            (CatalogErrorCode.StackingCycle, "achievements/cycle-b.json", "/rule/achievement"),
            (CatalogErrorCode.DuplicateId, "achievements/dup-2.json", "/id"),
            (CatalogErrorCode.DuplicateId, "issuers/example.json", "/id"),
            (CatalogErrorCode.MissingImage, "achievements/no-image.json", "/image/png"),
            (CatalogErrorCode.MissingImage, "achievements/no-image.json", "/image/svg"),
            (CatalogErrorCode.MissingKey, "issuers/keyless.json", "/key"),
            (CatalogErrorCode.UnknownAlgorithm, "issuers/hs256.json", "/key/algorithm"),
            (CatalogErrorCode.UnknownIssuer, "achievements/orphan.json", "/issuer"),
            (CatalogErrorCode.UnknownGrade, "achievements/grades.json", "/rule/minimumGrade"),
            (CatalogErrorCode.CountOutOfRange, "achievements/count.json", "/rule/count"),
            (CatalogErrorCode.BadUrl, "achievements/bad-url.json", "/criteria/url"),
            (CatalogErrorCode.BadUrl, "issuers/bad-url.json", "/url"),
            (CatalogErrorCode.NotASlug, "achievements/slug.json", "/id"),
            (CatalogErrorCode.NotASlug, "issuers/Not_A_Slug.json", "/id"),
            (CatalogErrorCode.UnknownRuleKind, "achievements/kinds.json", "/rule/rules/0/rule"),
            (CatalogErrorCode.InvalidValue, "achievements/kinds.json", "/rule/rules/1/window"),
            (CatalogErrorCode.UnknownField, "achievements/kinds.json", "/rule/rules/1/of/minimumGrad"),
        ];
        var actual = result.Errors.Select(e => (e.Code, e.File, e.JsonPointer)).ToList();
        Assert.All(expected, e => Assert.Contains(e, actual));
        Assert.Equal(expected.Length, actual.Count);
    }

    [Fact]
    public void Duplicate_ids_name_both_files()
    {
        using var folder = new CatalogFolder();
        folder.Images("dup")
            .Write("issuers/example.json", CatalogFolder.Issuer("example"))
            .Write("achievements/dup-1.json", CatalogFolder.Achievement("dup", """{"rule": "activity", "activity": "X"}"""))
            .Write("achievements/dup-2.json", CatalogFolder.Achievement("dup", """{"rule": "activity", "activity": "Y"}"""));

        var error = Assert.Single(CatalogLoader.Load(folder.Path).Errors);

        Assert.Equal(
            "achievements/dup-2.json /id: duplicate achievement id \"dup\", also defined in achievements/dup-1.json; " +
            "expected an id used by no other achievement; found \"dup\" (in achievements/dup-1.json and achievements/dup-2.json)",
            error.ToString());
    }

    [Fact]
    public void A_stacking_cycle_is_named_in_full()
    {
        using var folder = new CatalogFolder();
        folder.Images("a", "b", "c")
            .Write("issuers/example.json", CatalogFolder.Issuer("example"))
            .Write("achievements/a.json", CatalogFolder.Achievement("a", """{"rule": "earned", "achievement": "b"}"""))
            .Write("achievements/b.json", CatalogFolder.Achievement("b", """{"rule": "allOf", "rules": [{"rule": "activity", "activity": "X"}, {"rule": "earned", "achievement": "c"}]}"""))
            .Write("achievements/c.json", CatalogFolder.Achievement("c", """{"rule": "earned", "achievement": "a"}"""));

        var error = Assert.Single(CatalogLoader.Load(folder.Path).Errors);

        Assert.Equal(CatalogErrorCode.StackingCycle, error.Code);
        Assert.Equal("achievements/c.json", error.File);
        Assert.Equal("/rule/achievement", error.JsonPointer);
        Assert.Equal("stacking cycle: a → b → c → a", error.Message);
    }

    [Fact]
    public void Invalid_json_says_line_and_position()
    {
        using var folder = new CatalogFolder();
        folder.Write("issuers/example.json", "{\n  \"id\": \"example\",\n  \"name\" \"x\"\n}");

        var error = Assert.Single(CatalogLoader.Load(folder.Path).Errors);

        Assert.Equal(CatalogErrorCode.InvalidJson, error.Code);
        Assert.StartsWith("invalid JSON at line 3, position", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_grade_lists_the_scale()
    {
        using var folder = new CatalogFolder();
        folder.Write("grade-scales.json", GradeScales).Images("g")
            .Write("issuers/example.json", CatalogFolder.Issuer("example"))
            .Write("achievements/g.json", CatalogFolder.Achievement("g", """{"rule": "activity", "activity": "CS101", "minimumGrade": "B++"}"""));

        var error = Assert.Single(CatalogLoader.Load(folder.Path).Errors);

        Assert.Equal("achievements/g.json /rule/minimumGrade: unknown grade on scale \"us-letter\"; expected one of A, B, C, F; found \"B++\"", error.ToString());
    }

    [Fact]
    public void Minimum_grade_without_any_grade_scale_is_reported()
    {
        using var folder = new CatalogFolder();
        folder.Images("g")
            .Write("issuers/example.json", CatalogFolder.Issuer("example"))
            .Write("achievements/g.json", CatalogFolder.Achievement("g", """{"rule": "activity", "activity": "CS101", "minimumGrade": "B"}"""));

        var error = Assert.Single(CatalogLoader.Load(folder.Path).Errors);

        Assert.Equal(CatalogErrorCode.UnknownGradeScale, error.Code);
    }

    [Fact]
    public void Missing_key_algorithm_defaults_to_RS256()
    {
        using var folder = new CatalogFolder();
        folder.Images("g")
            .Write("issuers/example.json", CatalogFolder.Issuer("example", key: """{"name": "k1"}"""))
            .Write("achievements/g.json", CatalogFolder.Achievement("g", """{"rule": "activity", "activity": "X"}"""));

        var catalog = CatalogLoader.Load(folder.Path).GetCatalogOrThrow();

        Assert.Equal(new SigningKeyReference("k1", SigningAlgorithm.RS256), catalog.Issuers["example"].Key);
    }

    [Fact]
    public void Image_paths_may_not_leave_the_catalog_folder()
    {
        using var folder = new CatalogFolder();
        folder.Images("g")
            .Write("issuers/example.json", CatalogFolder.Issuer("example"))
            .Write("achievements/g.json", CatalogFolder.Achievement("g", """{"rule": "activity", "activity": "X"}""", image: "../../etc/g"));

        var errors = CatalogLoader.Load(folder.Path).Errors;

        Assert.Equal(["/image/png", "/image/svg"], errors.Select(e => e.JsonPointer));
        Assert.All(errors, e => Assert.Equal(CatalogErrorCode.InvalidValue, e.Code));
    }

    [Fact]
    public void A_missing_folder_is_one_error()
    {
        var error = Assert.Single(CatalogLoader.Load(Path.Combine(Path.GetTempPath(), "no-such-catalog-folder")).Errors);
        Assert.Equal(CatalogErrorCode.MissingFolder, error.Code);
    }

    [Fact]
    public void GetCatalogOrThrow_carries_every_error()
    {
        using var folder = new CatalogFolder();
        folder.Write("issuers/a.json", "{").Write("issuers/b.json", "[]");

        var exception = Assert.Throws<CatalogException>(() => CatalogLoader.Load(folder.Path).GetCatalogOrThrow());

        Assert.Equal(2, exception.Errors.Count);
        Assert.Contains("issuers/a.json", exception.Message, StringComparison.Ordinal);
        Assert.Contains("issuers/b.json", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grade_scale_and_activity_mistakes_are_reported_with_pointers()
    {
        using var folder = new CatalogFolder();
        folder.Images("g")
            .Write("grade-scales.json", """{ "default": "letters", "scales": { "us-letter": ["A", "a", "B"], "Bad Name": ["X"], "empty": [] } }""")
            .Write("activities.json", """{ "CS101": { "name": "Intro", "gradeScale": "pass-fail" }, "MAT 126": { "name": "Calculus" }, "CS102": { "title": "x" } }""")
            .Write("issuers/example.json", CatalogFolder.Issuer("example"))
            .Write("achievements/g.json", CatalogFolder.Achievement("g", """{"rule": "activity", "activity": "X"}"""));

        var actual = CatalogLoader.Load(folder.Path).Errors.Select(e => (e.Code, e.File, e.JsonPointer)).ToList();

        Assert.Equal(
            [
                (CatalogErrorCode.DuplicateId, "grade-scales.json", "/scales/us-letter/1"),
                (CatalogErrorCode.NotASlug, "grade-scales.json", "/scales/Bad Name"),
                (CatalogErrorCode.InvalidValue, "grade-scales.json", "/scales/empty"),
                (CatalogErrorCode.UnknownGradeScale, "grade-scales.json", "/default"),
                (CatalogErrorCode.UnknownGradeScale, "activities.json", "/CS101/gradeScale"),
                (CatalogErrorCode.InvalidValue, "activities.json", "/MAT 126"),
                (CatalogErrorCode.UnknownField, "activities.json", "/CS102/title"),
            ],
            actual);
    }

    [Fact]
    public void Sample_catalog_carries_its_sis_maps_and_knows_its_pathway_activities()
    {
        var catalog = CatalogLoader.Load(SampleCatalog.Folder).GetCatalogOrThrow();
        Assert.Equal(["banner", "canvas", "generic"], catalog.SisMaps.Select(m => m.Name).Order(StringComparer.Ordinal));
        var someActivity = catalog.Achievements.Values
            .SelectMany(a => RuleWalker.Descendants(a.Rule)).OfType<ActivityRule>().First().Activity;
        Assert.True(catalog.IsPathwayActivity(someActivity));
        Assert.False(catalog.IsPathwayActivity("NOT-IN-ANY-PATHWAY-999"));
    }

    [Fact]
    public void A_broken_sis_map_is_reported_with_the_catalog_errors()
    {
        using var folder = new CatalogFolder();
        folder.Write("grade-scales.json", GradeScales)
            .Images("good")
            .Write("issuers/example.json", CatalogFolder.Issuer("example"))
            .Write("achievements/good.json", CatalogFolder.Achievement("good", """{"rule": "activity", "activity": "CS101"}"""))
            .Write("sis-maps/broken.json", """{ "name": "broken", "delimiter": 7 }""");

        var result = CatalogLoader.Load(folder.Path);

        Assert.False(result.IsSuccess);
        var mapErrors = result.Errors.Where(e => e.File.StartsWith("sis-maps/", StringComparison.Ordinal)).ToList();
        Assert.All(mapErrors, e => Assert.Equal("sis-maps/broken.json", e.File));
        Assert.Contains(mapErrors, e => e.Code == CatalogErrorCode.WrongType && e.JsonPointer == "/delimiter" && e.Found == "7");
        Assert.Contains(mapErrors, e => e.Code == CatalogErrorCode.MissingField && e.JsonPointer == "/columns");
    }
}
