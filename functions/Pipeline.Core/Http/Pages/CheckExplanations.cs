using System.Text.Json.Nodes;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Http.Pages;

/// <summary>
/// What a verdict and each verification check mean, for people who do not read JWTs (the verification page and the
/// CLI's <c>verify</c>): a label, and what a pass establishes (shown only beside a passed check; a failed or skipped
/// one shows its message instead).
/// </summary>
public static class CheckExplanations
{
    /// <summary>The verdict's word and sentence.</summary>
    public static (string Word, string Text) Verdict(CredentialVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        var issuedBy = IssuedBy(verification);
        return verification.Verdict switch
        {
            CredentialVerdict.Valid => ("Valid", $"This badge is authentic: {issuedBy} issued it, and it has not been changed, revoked or expired."),
            CredentialVerdict.Revoked => ("Revoked", $"{issuedBy} issued this badge but has since revoked it. It is no longer valid."),
            CredentialVerdict.Expired => ("Expired", $"{issuedBy} issued this badge, but it is past its end date. It is no longer valid."),
            _ => ("Invalid", "This badge could not be verified: at least one check below failed, so it should not be trusted."),
        };
    }

    /// <summary>
    /// The issuer's id: the one checked (an OB 2.0 assertion's profile on the assertion's origin), else the one the
    /// credential names, which its key was checked against.
    /// </summary>
    public static string? IssuerId(CredentialVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        return verification.Issuer?.Id ?? CredentialVerifier.IssuerIdOf(verification.Result.Credential ?? []);
    }

    /// <summary>The issuer's name (the checked issuer's, else as the badge gives it), else its id, else "an unknown issuer".</summary>
    public static string IssuerName(CredentialVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        var issuer = verification.Result.Credential?["issuer"] as JsonObject;
        return verification.Issuer?.Name ?? Text(issuer?["name"]) ?? IssuerId(verification) ?? "an unknown issuer";
    }

    /// <summary>
    /// The issuer by name and id ("Name (id)"): the name is whatever the signer wrote, the id is what the key was checked
    /// against, so a verdict says both.
    /// </summary>
    public static string IssuedBy(CredentialVerification verification)
    {
        var issuerId = IssuerId(verification);
        var issuerName = IssuerName(verification);
        return issuerId is not null && issuerId != issuerName ? $"{issuerName} ({issuerId})" : issuerName;
    }

    /// <summary>The badge's name, else its achievement's, else "Badge".</summary>
    public static string BadgeName(JsonObject credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var achievement = (credential["credentialSubject"] as JsonObject)?["achievement"] as JsonObject;
        return Text(credential["name"]) ?? Text(achievement?["name"]) ?? "Badge";
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static (string Label, string Meaning) For(string code) => code switch
    {
        CheckCodes.JwtFormat => ("Readable", "The badge is a signed web token (VC-JWT) that can be read."),
        CheckCodes.JsonFormat => ("Readable", "The badge is a JSON document that can be read."),
        CheckCodes.Proof => ("Proof", "The badge's embedded proof of who issued it was verified."),
        CheckCodes.JwtAlgorithm => ("Signature method", "It is signed with an accepted, secure method (RS256 or ES256)."),
        CheckCodes.JwtKey => ("Issuer's key", "The signature is checked only with a key that the issuer named in the badge publishes."),
        CheckCodes.JwtSignature => ("Signature", "The issuer's signature matches, so nothing in the badge has changed since it was issued."),
        CheckCodes.JwtIss => ("Signed issuer", "The signed issuer is the issuer written in the badge."),
        CheckCodes.JwtJti => ("Signed badge id", "The signed id is the badge's id."),
        CheckCodes.JwtSub => ("Signed recipient", "The signed recipient is the badge's recipient."),
        CheckCodes.JwtNbf => ("Signed start date", "The signed start date is the badge's start date."),
        CheckCodes.JwtExp => ("Signed end date", "The signed end date is the badge's end date, if it has one."),
        CheckCodes.Schema => ("Open Badges format", "The badge follows the Open Badges 3.0 data format."),
        CheckCodes.SubjectIdentity => ("Recipient named", "The badge says who earned it, by an id or an identifier such as a hashed email address."),
        CheckCodes.ValidFrom => ("In effect", "The badge's start date has been reached."),
        CheckCodes.ValidUntil => ("Not expired", "The badge has not passed its end date."),
        CheckCodes.Status => ("Not revoked", "The issuer does not mark this badge as revoked or suspended."),
        CheckCodes.Recipient => ("Recipient email", "The email address given matches the recipient named in the badge."),
        Verification.Ob2CheckCodes.Assertion => ("Open Badges 2.0 assertion", "It is an Open Badges 2.0 assertion that its issuer hosts on the web."),
        Verification.Ob2CheckCodes.Hosted => ("Hosted by the issuer", "The copy hosted at the assertion's address was fetched and used for every check."),
        Verification.Ob2CheckCodes.BadgeClass => ("Badge description", "The badge class the assertion names can be read at its address."),
        Verification.Ob2CheckCodes.Issuer => ("Issuer profile", "The issuer profile the badge class names can be read."),
        Verification.Ob2CheckCodes.Origin => ("Issuer's website", "The assertion and the badge class are hosted on the issuer's own website (or the sites it allows)."),
        _ => (code, "A check of the credential."),
    };

    public static (string Word, string CssClass) Outcome(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Passed => ("Passed", "passed"),
        CheckOutcome.Failed => ("Failed", "failed"),
        CheckOutcome.NotSupported => ("Not supported", "failed"),
        _ => ("Not checked", "skipped"),
    };
}
