using System.Text.Json.Nodes;
using Pipeline.Core.Catalog;

namespace Pipeline.Core.Credentials;

/// <summary>
/// OB 2.0 hosted JSON served beside every OB 3.0 credential (standards README §2.6): the Assertion, its
/// BadgeClass, the Issuer profile and the body of a revoked assertion's 410. All ids live under the issuer's
/// public base URL, so Assertion and BadgeClass share the Issuer profile's origin (the hosted-verification rule).
/// </summary>
public static class OpenBadges2Documents
{
    public const string Context = "https://w3id.org/openbadges/v2";

    /// <summary>
    /// <c>/ob2/assertions/{id}</c>: <c>{@context, type, id, recipient, badge, verification:{type:hosted}, issuedOn,
    /// expires?, image, evidence?}</c>. <paramref name="bakedImage"/> is the public URL of the baked PNG; the recipient
    /// hash uses the same normalised email and salt as the OB 3.0 credential.
    /// </summary>
    public static JsonObject Assertion(OpenBadgeCredentialRequest request, Uri bakedImage)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(bakedImage);
        var urls = request.Issuer.Urls;
        var json = new JsonObject
        {
            ["@context"] = Context,
            ["type"] = "Assertion",
            ["id"] = urls.Ob2Assertion(request.Id.Value).AbsoluteUri,
            ["recipient"] = new JsonObject
            {
                ["type"] = "email",
                ["hashed"] = true,
                ["salt"] = request.RecipientSalt,
                ["identity"] = RecipientIdentity.IdentityHash(RecipientIdentity.NormalizeEmail(request.Learner.Email), request.RecipientSalt),
            },
            ["badge"] = urls.Ob2BadgeClass(request.Achievement.Id).AbsoluteUri,
            ["verification"] = new JsonObject { ["type"] = "hosted" },
            ["issuedOn"] = CredentialDates.Format(request.AwardedAt),
        };
        if (request.Achievement.Expiry is { } expiry)
        {
            json["expires"] = CredentialDates.Format(expiry.ValidUntil(request.AwardedAt));
        }
        json["image"] = bakedImage.AbsoluteUri;
        var evidence = new JsonArray([
            .. request.Achievement.Evidence.Select(e => Evidence(e.Url, e.Name, e.Description, e.Narrative)),
            .. request.Evidence.Select(e => Evidence(e.Id, e.Name, e.Description, e.Narrative)),
        ]);
        if (evidence.Count > 0)
        {
            json["evidence"] = evidence;
        }
        return json;
    }

    /// <summary><c>/ob2/badges/{achievement}</c>: <c>{@context, type, id, name, description, image, criteria, issuer, tags?, alignment?}</c>.</summary>
    public static JsonObject BadgeClass(Achievement achievement, Issuer issuer, Uri image)
    {
        ArgumentNullException.ThrowIfNull(achievement);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(image);
        var criteria = new JsonObject();
        OpenBadgeCredentialBuilder.AddIfSet(criteria, "id", achievement.Criteria.Url?.AbsoluteUri);
        OpenBadgeCredentialBuilder.AddIfSet(criteria, "narrative", achievement.Criteria.Narrative);
        var json = new JsonObject
        {
            ["@context"] = Context,
            ["type"] = "BadgeClass",
            ["id"] = issuer.Urls.Ob2BadgeClass(achievement.Id).AbsoluteUri,
            ["name"] = achievement.Name,
            ["description"] = achievement.Description,
            ["image"] = image.AbsoluteUri,
            ["criteria"] = criteria,
            ["issuer"] = issuer.Urls.Ob2Issuer(issuer.Id).AbsoluteUri,
        };
        if (achievement.Tags.Count > 0)
        {
            json["tags"] = new JsonArray([.. achievement.Tags.Select(t => (JsonNode)t)]);
        }
        if (achievement.Alignments.Count > 0)
        {
            json["alignment"] = new JsonArray([.. achievement.Alignments.Select(a =>
            {
                var alignment = new JsonObject { ["targetName"] = a.TargetName, ["targetUrl"] = a.TargetUrl.AbsoluteUri };
                OpenBadgeCredentialBuilder.AddIfSet(alignment, "targetDescription", a.TargetDescription);
                OpenBadgeCredentialBuilder.AddIfSet(alignment, "targetFramework", a.TargetFramework);
                OpenBadgeCredentialBuilder.AddIfSet(alignment, "targetCode", a.TargetCode);
                return (JsonNode)alignment;
            })]);
        }
        return json;
    }

    /// <summary><c>/ob2/issuers/{issuer}</c>: <c>{@context, type:"Issuer", id, name, url, email, description?, image?}</c>.</summary>
    public static JsonObject IssuerProfile(Issuer issuer, Uri? image)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var json = new JsonObject
        {
            ["@context"] = Context,
            ["type"] = "Issuer",
            ["id"] = issuer.Urls.Ob2Issuer(issuer.Id).AbsoluteUri,
            ["name"] = issuer.Name,
            ["url"] = issuer.Url.AbsoluteUri,
            ["email"] = issuer.Email,
        };
        OpenBadgeCredentialBuilder.AddIfSet(json, "description", issuer.Description);
        OpenBadgeCredentialBuilder.AddIfSet(json, "image", image?.AbsoluteUri);
        return json;
    }

    /// <summary>The body served with <c>410 Gone</c> for a revoked assertion: <c>{@context, id, revoked:true, revocationReason}</c>.</summary>
    public static JsonObject RevokedAssertion(Issuer issuer, CredentialId credentialId, string revocationReason)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentException.ThrowIfNullOrWhiteSpace(revocationReason);
        return new JsonObject
        {
            ["@context"] = Context,
            ["id"] = issuer.Urls.Ob2Assertion(credentialId.Value).AbsoluteUri,
            ["revoked"] = true,
            ["revocationReason"] = revocationReason,
        };
    }

    private static JsonObject Evidence(Uri? id, string? name, string? description, string? narrative)
    {
        var json = new JsonObject();
        OpenBadgeCredentialBuilder.AddIfSet(json, "id", id?.AbsoluteUri);
        json["type"] = "Evidence";
        OpenBadgeCredentialBuilder.AddIfSet(json, "name", name);
        OpenBadgeCredentialBuilder.AddIfSet(json, "description", description);
        OpenBadgeCredentialBuilder.AddIfSet(json, "narrative", narrative);
        return json;
    }
}
