using System.Globalization;
using System.Text.Json;
using Pipeline.Core.Catalog.Loading;
using Pipeline.Core.Signing;
using Pipeline.Core.Stages.Ingest;

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

    private static readonly string[] AchievementTypes =
    [
        "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree", "Award", "Badge",
        "BachelorDegree", "Certificate", "CertificateOfCompletion", "Certification", "CommunityService", "Competency",
        "Course", "CoCurricular", "Degree", "Diploma", "DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment",
        "JourneymanCertificate", "LearningProgram", "License", "Membership", "ProfessionalDoctorate",
        "QualityAssuranceCredential", "MasterCertificate", "MasterDegree", "MicroCredential", "ResearchDoctorate",
        "SecondarySchoolDiploma",
    ];

    private static readonly string[] AlignmentTargetTypes =
        ["ceasn:Competency", "ceterms:Credential", "CFItem", "CFRubric", "CFRubricCriterion", "CFRubricCriterionLevel", "CTDL"];

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

        var loading = new Loading(root, errors);
        var (scales, defaultScale) = loading.ReadGradeScales();
        var activities = loading.ReadActivities(scales);
        var issuers = loading.ReadAll(IssuersFolder, loading.ReadIssuer, i => i.Id, "issuer");
        var achievements = loading.ReadAll(AchievementsFolder, loading.ReadAchievement, a => a.Achievement.Id, "achievement");
        loading.CheckReferences(issuers, achievements, scales, defaultScale, activities);
        var sisMaps = ReadSisMaps(root, errors);
        var partners = Directory.Exists(Path.Combine(root, PartnersFolder))
            ? loading.ReadAll(PartnersFolder, PartnerReader.Read, p => p.Id, "partner").Values.Select(p => p.Value).ToList()
            : [];

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

    /// <summary>The optional <c>sis-maps/</c> folder, its errors folded into the catalog's.</summary>
    private static IReadOnlyList<SisColumnMap> ReadSisMaps(string root, List<CatalogError> errors)
    {
        var folder = Path.Combine(root, SisMapsFolder);
        if (!Directory.Exists(folder))
        {
            return [];
        }
        var result = SisMapLoader.Load(folder);
        foreach (var error in result.Errors)
        {
            var file = Path.GetRelativePath(root, Path.GetFullPath(error.File)).Replace(Path.DirectorySeparatorChar, '/');
            errors.Add(new CatalogError(CatalogErrorCode.InvalidSisMap, file, error.JsonPointer,
                "invalid SIS column map", error.Expected, error.Found));
        }
        return result.Maps;
    }

    private sealed record ReadAchievement(Achievement Achievement, List<RuleReference> References);

    private sealed record Located<T>(T Value, string File);

    private sealed class Loading(string root, List<CatalogError> errors)
    {
        public (Dictionary<string, GradeScale> Scales, string? Default) ReadGradeScales()
        {
            var scales = new Dictionary<string, GradeScale>(StringComparer.Ordinal);
            var path = Path.Combine(root, GradeScalesFile);
            if (!File.Exists(path))
            {
                return (scales, null);
            }
            var reader = new CatalogFileReader(GradeScalesFile, errors);
            using var document = reader.Parse(path);
            if (document is null || !reader.ExpectObject(document.RootElement, string.Empty, "default", "scales"))
            {
                return (scales, null);
            }
            var top = document.RootElement;
            if (reader.Required(top, string.Empty, "scales", "an object of named grade lists") is { } all)
            {
                if (reader.IsObject(all, "/scales"))
                {
                    foreach (var property in all.EnumerateObject())
                    {
                        var at = CatalogFileReader.Pointer("/scales", property.Name);
                        if (reader.AsSlug(property.Name, at) is { } name && ReadGrades(reader, property.Value, at) is { } grades)
                        {
                            scales[name] = new GradeScale(name, grades);
                        }
                    }
                }
            }
            var defaultName = reader.OptionalString(top, string.Empty, "default");
            if (defaultName is not null && !scales.ContainsKey(defaultName))
            {
                reader.Report(CatalogErrorCode.UnknownGradeScale, "/default", "unknown grade scale",
                    "one of " + string.Join(", ", scales.Keys), $"\"{defaultName}\"");
                defaultName = null;
            }
            return (scales, defaultName);
        }

        private static List<string>? ReadGrades(CatalogFileReader reader, JsonElement value, string pointer)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                reader.Report(CatalogErrorCode.WrongType, pointer, "wrong type", "an array of grades, best first", CatalogFileReader.Describe(value));
                return null;
            }
            var grades = new List<string>();
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                var at = CatalogFileReader.Pointer(pointer, index++);
                if (reader.AsString(item, at) is not { } grade)
                {
                    continue;
                }
                if (grades.Contains(grade, StringComparer.OrdinalIgnoreCase))
                {
                    reader.Report(CatalogErrorCode.DuplicateId, at, "grade listed twice on the scale", "each grade once", $"\"{grade}\"");
                    continue;
                }
                grades.Add(grade);
            }
            if (grades.Count == 0)
            {
                reader.Report(CatalogErrorCode.InvalidValue, pointer, "empty grade scale", "at least one grade", "an empty array");
                return null;
            }
            return grades;
        }

        public Dictionary<string, CatalogActivity> ReadActivities(Dictionary<string, GradeScale> scales)
        {
            var activities = new Dictionary<string, CatalogActivity>(StringComparer.Ordinal);
            var path = Path.Combine(root, ActivitiesFile);
            if (!File.Exists(path))
            {
                return activities;
            }
            var reader = new CatalogFileReader(ActivitiesFile, errors);
            using var document = reader.Parse(path);
            if (document is null || !reader.IsObject(document.RootElement, string.Empty))
            {
                return activities;
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var at = CatalogFileReader.Pointer(string.Empty, property.Name);
                if (property.Name.Trim().Length == 0 || property.Name.Any(char.IsWhiteSpace))
                {
                    reader.Report(CatalogErrorCode.InvalidValue, at, "activity id with spaces", "an id without spaces, like \"CS101\"", $"\"{property.Name}\"");
                    continue;
                }
                if (!reader.ExpectObject(property.Value, at, "name", "gradeScale"))
                {
                    continue;
                }
                var name = reader.OptionalString(property.Value, at, "name");
                var scale = reader.OptionalString(property.Value, at, "gradeScale");
                if (scale is not null && !scales.ContainsKey(scale))
                {
                    reader.Report(CatalogErrorCode.UnknownGradeScale, CatalogFileReader.Pointer(at, "gradeScale"), "unknown grade scale",
                        $"a scale defined in {GradeScalesFile}: " + string.Join(", ", scales.Keys), $"\"{scale}\"");
                    scale = null;
                }
                activities[property.Name] = new CatalogActivity(property.Name, name, scale);
            }
            return activities;
        }

        /// <summary>Reads every <c>*.json</c> in a folder (ordinal order), and reports duplicate ids naming both files.</summary>
        public Dictionary<string, Located<T>> ReadAll<T>(string folder, Func<CatalogFileReader, JsonElement, T?> read, Func<T, string> id, string what)
            where T : class
        {
            var result = new Dictionary<string, Located<T>>(StringComparer.Ordinal);
            var directory = Path.Combine(root, folder);
            if (!Directory.Exists(directory))
            {
                errors.Add(new CatalogError(CatalogErrorCode.MissingFolder, folder + "/", string.Empty, $"missing {folder} folder",
                    $"a folder {folder}/ with one {what} per .json file", "nothing"));
                return result;
            }
            foreach (var path in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
            {
                var file = folder + "/" + Path.GetFileName(path);
                var reader = new CatalogFileReader(file, errors);
                using var document = reader.Parse(path);
                if (document is null || read(reader, document.RootElement) is not { } value)
                {
                    continue;
                }
                var key = id(value);
                if (result.TryGetValue(key, out var first))
                {
                    reader.Report(CatalogErrorCode.DuplicateId, "/id", $"duplicate {what} id \"{key}\", also defined in {first.File}",
                        $"an id used by no other {what}", $"\"{key}\" (in {first.File} and {file})");
                    continue;
                }
                result[key] = new Located<T>(value, file);
            }
            return result;
        }

        public Issuer? ReadIssuer(CatalogFileReader reader, JsonElement top)
        {
            if (!reader.ExpectObject(top, string.Empty, "id", "name", "url", "email", "description", "image", "publicBaseUrl", "key"))
            {
                return null;
            }
            var id = reader.RequiredSlug(top, string.Empty, "id");
            var name = reader.RequiredString(top, string.Empty, "name");
            var url = reader.RequiredUrl(top, string.Empty, "url");
            var email = reader.RequiredString(top, string.Empty, "email");
            if (email is not null && !IsEmail(email))
            {
                reader.Report(CatalogErrorCode.InvalidValue, "/email", "not an email address", "an address like \"badges@example.edu\"", $"\"{email}\"");
                email = null;
            }
            var description = reader.OptionalString(top, string.Empty, "description");
            var image = reader.OptionalString(top, string.Empty, "image") is { } imagePath ? CheckImage(reader, imagePath, "/image", ".png", ".svg") : null;
            var publicBaseUrl = reader.RequiredUrl(top, string.Empty, "publicBaseUrl");
            var key = ReadKey(reader, top);
            if (id is null || name is null || url is null || email is null || publicBaseUrl is null || key is null)
            {
                return null;
            }
            return new Issuer
            {
                Id = id,
                Name = name,
                Url = url,
                Email = email,
                Description = description,
                ImagePath = image,
                Key = key,
                PublicBaseUrl = publicBaseUrl.AbsoluteUri.EndsWith('/') ? publicBaseUrl : new Uri(publicBaseUrl.AbsoluteUri + "/"),
                PreviousKeys = ReadPreviousKeys(reader, top, key),
            };
        }

        private static List<SigningKeyReference> ReadPreviousKeys(CatalogFileReader reader, JsonElement top, SigningKeyReference current)
        {
            var key = CatalogFileReader.Optional(top, "key")!.Value;
            var previous = reader.OptionalArray(key, "/key", "previous", (element, pointer) =>
                reader.AsString(element, pointer) is { } name ? new SigningKeyReference(name, current.Algorithm) : null);
            foreach (var (reference, index) in previous.Select((r, i) => (r, i)))
            {
                if (reference.KeyName == current.KeyName || previous.Take(index).Any(p => p.KeyName == reference.KeyName))
                {
                    reader.Report(CatalogErrorCode.InvalidValue, CatalogFileReader.Pointer("/key/previous", index), "key listed twice",
                        "a retired key name, different from /key/name and from the other previous keys", $"\"{reference.KeyName}\"");
                }
            }
            return previous;
        }

        private static SigningKeyReference? ReadKey(CatalogFileReader reader, JsonElement top)
        {
            if (CatalogFileReader.Optional(top, "key") is not { } key)
            {
                reader.Report(CatalogErrorCode.MissingKey, "/key", "issuer has no signing key",
                    "{\"name\": \"<key name in the key store>\", \"algorithm\": \"RS256\" or \"ES256\"}", "nothing");
                return null;
            }
            if (!reader.ExpectObject(key, "/key", "name", "algorithm", "previous"))
            {
                return null;
            }
            var name = reader.RequiredString(key, "/key", "name");
            var algorithmText = reader.OptionalString(key, "/key", "algorithm") ?? nameof(SigningAlgorithm.RS256);
            SigningAlgorithm? algorithm = algorithmText switch
            {
                "RS256" => SigningAlgorithm.RS256,
                "ES256" => SigningAlgorithm.ES256,
                _ => null,
            };
            if (algorithm is null)
            {
                reader.Report(CatalogErrorCode.UnknownAlgorithm, "/key/algorithm", "unknown signing algorithm",
                    "\"RS256\" (the default) or \"ES256\"", $"\"{algorithmText}\"");
            }
            return name is null || algorithm is null ? null : new SigningKeyReference(name, algorithm.Value);
        }

        public ReadAchievement? ReadAchievement(CatalogFileReader reader, JsonElement top)
        {
            if (!reader.ExpectObject(top, string.Empty, "id", "issuer", "name", "description", "achievementType", "criteria", "image",
                    "tags", "alignments", "creditsAvailable", "fieldOfStudy", "humanCode", "evidence", "expiry", "rule"))
            {
                return null;
            }
            var id = reader.RequiredSlug(top, string.Empty, "id");
            var issuer = reader.RequiredSlug(top, string.Empty, "issuer");
            var name = reader.RequiredString(top, string.Empty, "name");
            var description = reader.RequiredString(top, string.Empty, "description");
            var type = reader.OptionalString(top, string.Empty, "achievementType") ?? "Badge";
            if (!AchievementTypes.Contains(type, StringComparer.Ordinal) && !IsExtension(type))
            {
                reader.Report(CatalogErrorCode.InvalidValue, "/achievementType", "unknown achievement type",
                    "an OB 3.0 AchievementType such as \"Badge\", \"MicroCredential\", \"Certificate\", \"Certification\", or \"ext:YourType\"", $"\"{type}\"");
            }
            var criteria = ReadCriteria(reader, top);
            var image = ReadImage(reader, top);
            var tags = reader.OptionalArray(top, string.Empty, "tags", (e, at) => reader.AsString(e, at));
            var alignments = reader.OptionalArray(top, string.Empty, "alignments", (e, at) => ReadAlignment(reader, e, at));
            var credits = reader.OptionalNumber(top, string.Empty, "creditsAvailable", 0m);
            var fieldOfStudy = reader.OptionalString(top, string.Empty, "fieldOfStudy");
            var humanCode = reader.OptionalString(top, string.Empty, "humanCode");
            var evidence = reader.OptionalArray(top, string.Empty, "evidence", (e, at) => ReadEvidence(reader, e, at));
            var expiry = reader.OptionalPeriod(top, string.Empty, "expiry") is { } period
                ? new ExpiryPolicy { Years = period.Years, Months = period.Months, Days = period.Days }
                : null;
            var references = new List<RuleReference>();
            var rule = reader.Required(top, string.Empty, "rule", "a rule object") is { } ruleElement
                ? new RuleReader(reader, id ?? string.Empty, references).Read(ruleElement, "/rule")
                : null;
            if (id is null || issuer is null || name is null || description is null || criteria is null || image is null || rule is null)
            {
                return null;
            }
            return new ReadAchievement(
                new Achievement
                {
                    Id = id,
                    IssuerId = issuer,
                    Name = name,
                    Description = description,
                    Criteria = criteria,
                    ImagePngPath = image.Value.Png,
                    ImageSvgPath = image.Value.Svg,
                    ImageCaption = image.Value.Caption,
                    Tags = tags,
                    Alignments = alignments,
                    AchievementType = type,
                    CreditsAvailable = credits,
                    FieldOfStudy = fieldOfStudy,
                    HumanCode = humanCode,
                    Evidence = evidence,
                    Expiry = expiry,
                    Rule = rule,
                },
                references);
        }

        private static Criteria? ReadCriteria(CatalogFileReader reader, JsonElement top)
        {
            if (reader.Required(top, string.Empty, "criteria", "{\"narrative\": \"…\", \"url\": \"https://…\"}") is not { } criteria
                || !reader.ExpectObject(criteria, "/criteria", "narrative", "url"))
            {
                return null;
            }
            var narrative = reader.OptionalString(criteria, "/criteria", "narrative");
            var url = reader.OptionalUrl(criteria, "/criteria", "url");
            if (narrative is null && url is null)
            {
                if (CatalogFileReader.Optional(criteria, "narrative") is null && CatalogFileReader.Optional(criteria, "url") is null)
                {
                    reader.Report(CatalogErrorCode.MissingField, "/criteria/narrative", "criteria need a narrative or a URL",
                        "\"narrative\" and/or \"url\"", "neither");
                }
                return null;
            }
            return new Criteria(narrative, url);
        }

        private (string Png, string Svg, string? Caption)? ReadImage(CatalogFileReader reader, JsonElement top)
        {
            if (reader.Required(top, string.Empty, "image", "{\"png\": \"images/….png\", \"svg\": \"images/….svg\"}") is not { } image
                || !reader.ExpectObject(image, "/image", "png", "svg", "caption"))
            {
                return null;
            }
            var png = reader.RequiredString(image, "/image", "png") is { } p ? CheckImage(reader, p, "/image/png", ".png") : null;
            var svg = reader.RequiredString(image, "/image", "svg") is { } s ? CheckImage(reader, s, "/image/svg", ".svg") : null;
            var caption = reader.OptionalString(image, "/image", "caption");
            return png is null || svg is null ? null : (png, svg, caption);
        }

        /// <summary>A catalog-relative image path: inside the folder, with an expected extension, and present on disk.</summary>
        private string? CheckImage(CatalogFileReader reader, string relative, string pointer, params string[] extensions)
        {
            var normalised = relative.Replace('\\', '/');
            var full = Path.GetFullPath(Path.Combine(root, normalised));
            var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
            if (Path.IsPathRooted(normalised) || !full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
            {
                reader.Report(CatalogErrorCode.InvalidValue, pointer, "image path leaves the catalog folder",
                    "a path relative to the catalog folder, like \"images/badge.png\"", $"\"{relative}\"");
                return null;
            }
            if (!extensions.Any(e => normalised.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            {
                reader.Report(CatalogErrorCode.InvalidValue, pointer, "wrong image type",
                    "a file ending " + string.Join(" or ", extensions), $"\"{relative}\"");
                return null;
            }
            if (!File.Exists(full))
            {
                reader.Report(CatalogErrorCode.MissingImage, pointer, "image file not found",
                    $"a file at {normalised} in the catalog folder", "no such file");
                return null;
            }
            return normalised;
        }

        private static Alignment? ReadAlignment(CatalogFileReader reader, JsonElement element, string at)
        {
            if (!reader.ExpectObject(element, at, "targetName", "targetUrl", "targetDescription", "targetFramework", "targetCode", "targetType"))
            {
                return null;
            }
            var name = reader.RequiredString(element, at, "targetName");
            var url = reader.RequiredUrl(element, at, "targetUrl");
            var type = reader.OptionalString(element, at, "targetType");
            if (type is not null && !AlignmentTargetTypes.Contains(type, StringComparer.Ordinal) && !IsExtension(type))
            {
                reader.Report(CatalogErrorCode.InvalidValue, CatalogFileReader.Pointer(at, "targetType"), "unknown alignment target type",
                    "one of " + string.Join(", ", AlignmentTargetTypes) + ", or \"ext:…\"", $"\"{type}\"");
                type = null;
            }
            return name is null || url is null
                ? null
                : new Alignment
                {
                    TargetName = name,
                    TargetUrl = url,
                    TargetDescription = reader.OptionalString(element, at, "targetDescription"),
                    TargetFramework = reader.OptionalString(element, at, "targetFramework"),
                    TargetCode = reader.OptionalString(element, at, "targetCode"),
                    TargetType = type,
                };
        }

        private static EvidenceTemplate? ReadEvidence(CatalogFileReader reader, JsonElement element, string at)
        {
            if (!reader.ExpectObject(element, at, "url", "name", "description", "narrative"))
            {
                return null;
            }
            var evidence = new EvidenceTemplate
            {
                Url = reader.OptionalUrl(element, at, "url"),
                Name = reader.OptionalString(element, at, "name"),
                Description = reader.OptionalString(element, at, "description"),
                Narrative = reader.OptionalString(element, at, "narrative"),
            };
            if (evidence.Url is null && evidence.Narrative is null && evidence.Name is null)
            {
                reader.Report(CatalogErrorCode.MissingField, CatalogFileReader.Pointer(at, "url"), "evidence needs a URL, a name or a narrative",
                    "\"url\", \"name\" or \"narrative\"", "none");
                return null;
            }
            return evidence;
        }

        public void CheckReferences(
            Dictionary<string, Located<Issuer>> issuers,
            Dictionary<string, Located<ReadAchievement>> achievements,
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
                        $"the id of an issuer in {IssuersFolder}/: " + string.Join(", ", issuers.Keys.Order(StringComparer.Ordinal)),
                        $"\"{achievement.IssuerId}\""));
                }
                foreach (var reference in located.Value.References)
                {
                    switch (reference)
                    {
                        case EarnedReference earned when !achievements.ContainsKey(earned.Target):
                            errors.Add(new CatalogError(CatalogErrorCode.UnknownAchievement, earned.File, earned.Pointer,
                                "earned rule names an unknown achievement", $"the id of an achievement in {AchievementsFolder}/",
                                $"\"{earned.Target}\""));
                            break;
                        case GradeReference grade:
                            CheckGrade(grade, scales, defaultScale, activities);
                            break;
                    }
                }
            }
            CheckCycles(achievements);
        }

        private void CheckGrade(GradeReference grade, Dictionary<string, GradeScale> scales, string? defaultScale, Dictionary<string, CatalogActivity> activities)
        {
            var scaleName = activities.TryGetValue(grade.Activity, out var activity) && activity.GradeScale is { } own ? own : defaultScale;
            if (scaleName is null || !scales.TryGetValue(scaleName, out var scale))
            {
                errors.Add(new CatalogError(CatalogErrorCode.UnknownGradeScale, grade.File, grade.Pointer,
                    $"no grade scale for activity \"{grade.Activity}\"",
                    $"a \"default\" scale in {GradeScalesFile} or a \"gradeScale\" for the activity in {ActivitiesFile}", "none"));
                return;
            }
            if (!scale.Contains(grade.Grade))
            {
                errors.Add(new CatalogError(CatalogErrorCode.UnknownGrade, grade.File, grade.Pointer,
                    $"unknown grade on scale \"{scale.Name}\"", "one of " + string.Join(", ", scale.Grades), $"\"{grade.Grade}\""));
            }
        }

        /// <summary>Finds each stacking cycle once and names it, e.g. "a → b → c → a".</summary>
        private void CheckCycles(Dictionary<string, Located<ReadAchievement>> achievements)
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

        private static bool IsExtension(string value) =>
            value.StartsWith("ext:", StringComparison.Ordinal) && value.Length > 4 && value[4..].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

        private static bool IsEmail(string value)
        {
            var at = value.IndexOf('@', StringComparison.Ordinal);
            return at > 0 && at == value.LastIndexOf('@') && value.IndexOf('.', at) > at + 1 && !value.Any(char.IsWhiteSpace) && !value.EndsWith('.');
        }
    }
}
