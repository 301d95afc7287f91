using Pipeline.Core.Credentials.Verification;

namespace Pipeline.Core.Http.Pages;

/// <summary>
/// What each verification check means, for people who do not read JWTs: a label, and what a pass establishes (the page
/// shows it only beside a passed check; a failed or skipped one shows its message instead).
/// </summary>
internal static class CheckExplanations
{
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
        Verify.Ob2CheckCodes.Assertion => ("Open Badges 2.0 assertion", "It is an Open Badges 2.0 assertion that its issuer hosts on the web."),
        Verify.Ob2CheckCodes.Hosted => ("Hosted by the issuer", "The copy hosted at the assertion's address was fetched and used for every check."),
        Verify.Ob2CheckCodes.BadgeClass => ("Badge description", "The badge class the assertion names can be read at its address."),
        Verify.Ob2CheckCodes.Issuer => ("Issuer profile", "The issuer profile the badge class names can be read."),
        Verify.Ob2CheckCodes.Origin => ("Issuer's website", "The assertion and the badge class are hosted on the issuer's own website (or the sites it allows)."),
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
