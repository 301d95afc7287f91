using System.Text.Json;

namespace Pipeline.Core.Catalog.Loading;

/// <summary>An achievement as read, with the references its rule makes, checked once every file is read.</summary>
internal sealed record LoadedAchievement(Achievement Achievement, List<RuleReference> References);

/// <summary>Reads one <c>achievements/{id}.json</c> (format: docs/catalog.md): criteria, image, alignments, evidence, expiry and rule.</summary>
internal static class AchievementReader
{
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

    public static LoadedAchievement? Read(CatalogFileReader reader, JsonElement top, CatalogFolder folder)
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
        var image = ReadImage(reader, top, folder);
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
        return new LoadedAchievement(
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

    private static (string Png, string Svg, string? Caption)? ReadImage(CatalogFileReader reader, JsonElement top, CatalogFolder folder)
    {
        if (reader.Required(top, string.Empty, "image", "{\"png\": \"images/….png\", \"svg\": \"images/….svg\"}") is not { } image
            || !reader.ExpectObject(image, "/image", "png", "svg", "caption"))
        {
            return null;
        }
        var png = reader.RequiredString(image, "/image", "png") is { } p ? folder.CheckImage(reader, p, "/image/png", ".png") : null;
        var svg = reader.RequiredString(image, "/image", "svg") is { } s ? folder.CheckImage(reader, s, "/image/svg", ".svg") : null;
        var caption = reader.OptionalString(image, "/image", "caption");
        return png is null || svg is null ? null : (png, svg, caption);
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

    private static bool IsExtension(string value) =>
        value.StartsWith("ext:", StringComparison.Ordinal) && value.Length > 4 && value[4..].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
}
