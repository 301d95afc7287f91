using System.Text.Json.Nodes;
using Pipeline.Core.Catalog;

namespace Pipeline.Core.Credentials;

/// <summary>
/// Builds the OB 3.0 <c>OpenBadgeCredential</c> JSON (OB 3.0 Data Model: AchievementCredential). Members appear in a fixed
/// order (as in the spec's examples); nulls and empty arrays are omitted; multi-valued members are arrays.
/// </summary>
public static class OpenBadgeCredentialBuilder
{
    public const string VcContext = "https://www.w3.org/ns/credentials/v2";
    public const string ObContext = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
    public const string AchievementCredentialSchema = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

    public static JsonObject Build(OpenBadgeCredentialRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var issuer = request.Issuer;
        var achievement = request.Achievement;
        if (achievement.IssuerId != issuer.Id)
        {
            throw new ArgumentException($"Achievement \"{achievement.Id}\" belongs to issuer \"{achievement.IssuerId}\", not \"{issuer.Id}\".", nameof(request));
        }
        var urls = issuer.Urls;
        var credential = new JsonObject
        {
            ["@context"] = new JsonArray(VcContext, ObContext),
            ["id"] = urls.Credential(request.Id.Value).AbsoluteUri,
            ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
            ["issuer"] = IssuerProfile(issuer, request.IssuerImage),
            ["validFrom"] = CredentialDates.Format(request.ValidFrom),
        };
        if (achievement.Expiry is { } expiry)
        {
            credential["validUntil"] = CredentialDates.Format(expiry.ValidUntil(request.AwardedAt));
        }
        credential["awardedDate"] = CredentialDates.Format(request.AwardedAt);
        credential["name"] = achievement.Name;
        credential["description"] = achievement.Description;
        credential["image"] = Image(request.AchievementImage, achievement.ImageCaption);
        credential["credentialSubject"] = Subject(request);
        var evidence = new JsonArray([
            .. achievement.Evidence.Select(e => Evidence(e.Url, e.Name, e.Description, e.Narrative)),
            .. request.Evidence.Select(e => Evidence(e.Id, e.Name, e.Description, e.Narrative)),
        ]);
        if (evidence.Count > 0)
        {
            credential["evidence"] = evidence;
        }
        credential["credentialSchema"] = new JsonArray(new JsonObject
        {
            ["id"] = AchievementCredentialSchema,
            ["type"] = "1EdTechJsonSchemaValidator2019",
        });
        credential["credentialStatus"] = request.Status.ToJson();
        return credential;
    }

    /// <summary>The issuer as an OB 3.0 Profile: <c>{id, type:[Profile], name, url, email, description?, image?}</c>; id = <c>/issuers/{issuer}</c>.</summary>
    public static JsonObject IssuerProfile(Issuer issuer, Uri? image)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var profile = new JsonObject
        {
            ["id"] = issuer.Urls.Issuer(issuer.Id).AbsoluteUri,
            ["type"] = new JsonArray("Profile"),
            ["name"] = issuer.Name,
            ["url"] = issuer.Url.AbsoluteUri,
            ["email"] = issuer.Email,
        };
        AddIfSet(profile, "description", issuer.Description);
        if (image is not null)
        {
            profile["image"] = Image(image, issuer.Name);
        }
        return profile;
    }

    /// <summary>The OB 3.0 Achievement object (embedded in credentials and served at <c>/achievements/{id}</c>).</summary>
    public static JsonObject AchievementObject(Achievement achievement, Issuer issuer, Uri image)
    {
        ArgumentNullException.ThrowIfNull(achievement);
        ArgumentNullException.ThrowIfNull(issuer);
        var json = new JsonObject
        {
            ["id"] = issuer.Urls.Achievement(achievement.Id).AbsoluteUri,
            ["type"] = new JsonArray("Achievement"),
            ["achievementType"] = achievement.AchievementType,
            ["name"] = achievement.Name,
            ["description"] = achievement.Description,
            ["criteria"] = Criteria(achievement.Criteria),
            ["image"] = Image(image, achievement.ImageCaption),
            ["creator"] = new JsonObject
            {
                ["id"] = issuer.Urls.Issuer(issuer.Id).AbsoluteUri,
                ["type"] = new JsonArray("Profile"),
                ["name"] = issuer.Name,
            },
        };
        if (achievement.CreditsAvailable is { } credits)
        {
            json["creditsAvailable"] = credits;
        }
        AddIfSet(json, "fieldOfStudy", achievement.FieldOfStudy);
        AddIfSet(json, "humanCode", achievement.HumanCode);
        if (achievement.Tags.Count > 0)
        {
            json["tag"] = new JsonArray([.. achievement.Tags.Select(t => (JsonNode)t)]);
        }
        if (achievement.Alignments.Count > 0)
        {
            json["alignment"] = new JsonArray([.. achievement.Alignments.Select(Alignment)]);
        }
        return json;
    }

    private static JsonObject Subject(OpenBadgeCredentialRequest request)
    {
        var subject = new JsonObject
        {
            ["id"] = request.SubjectId,
            ["type"] = new JsonArray("AchievementSubject"),
            ["identifier"] = new JsonArray(RecipientIdentity.EmailIdentityObject(request.Learner.Email, request.RecipientSalt)),
            ["achievement"] = AchievementObject(request.Achievement, request.Issuer, request.AchievementImage),
        };
        if (request.CreditsEarned is { } credits)
        {
            subject["creditsEarned"] = credits;
        }
        if (request.Results.Count > 0)
        {
            subject["result"] = new JsonArray([.. request.Results.Select(r => (JsonNode)new JsonObject
            {
                ["type"] = new JsonArray("Result"),
                ["value"] = r.Value,
            })]);
        }
        return subject;
    }

    private static JsonObject Criteria(Criteria criteria)
    {
        var json = new JsonObject();
        AddIfSet(json, "id", criteria.Url?.AbsoluteUri);
        AddIfSet(json, "narrative", criteria.Narrative);
        return json;
    }

    private static JsonObject Alignment(Alignment alignment)
    {
        var json = new JsonObject
        {
            ["type"] = new JsonArray("Alignment"),
            ["targetName"] = alignment.TargetName,
            ["targetUrl"] = alignment.TargetUrl.AbsoluteUri,
        };
        AddIfSet(json, "targetDescription", alignment.TargetDescription);
        AddIfSet(json, "targetFramework", alignment.TargetFramework);
        AddIfSet(json, "targetCode", alignment.TargetCode);
        AddIfSet(json, "targetType", alignment.TargetType);
        return json;
    }

    private static JsonObject Evidence(Uri? id, string? name, string? description, string? narrative)
    {
        var json = new JsonObject();
        AddIfSet(json, "id", id?.AbsoluteUri);
        json["type"] = new JsonArray("Evidence");
        AddIfSet(json, "name", name);
        AddIfSet(json, "description", description);
        AddIfSet(json, "narrative", narrative);
        return json;
    }

    internal static JsonObject Image(Uri id, string? caption)
    {
        var json = new JsonObject { ["id"] = id.AbsoluteUri, ["type"] = "Image" };
        AddIfSet(json, "caption", caption);
        return json;
    }

    internal static void AddIfSet(JsonObject json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json[name] = value;
        }
    }
}
