using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http;
using Pipeline.Core.Json;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Verification;

/// <summary>The check codes of an OB 2.0 hosted assertion (with <see cref="CheckCodes.ValidFrom"/>, <see cref="CheckCodes.ValidUntil"/>, <see cref="CheckCodes.Status"/>, <see cref="CheckCodes.Recipient"/>).</summary>
public static class Ob2CheckCodes
{
    /// <summary>The assertion: OB 2.0 context, type Assertion, an https id, hosted verification.</summary>
    public const string Assertion = "ob2-assertion";
    /// <summary>The copy its issuer hosts at its id was fetched and names the same id.</summary>
    public const string Hosted = "ob2-hosted";
    public const string BadgeClass = "ob2-badge-class";
    public const string Issuer = "ob2-issuer";
    /// <summary>The assertion and badge class ids are in the issuer's origin scope.</summary>
    public const string Origin = "ob2-origin";
}

/// <summary>
/// Verifies an Open Badges 2.0 hosted assertion (standards README §2.6–2.7): its <c>id</c> is fetched with the
/// <see cref="SafeHttpFetcher"/> and that copy is used (an answer of 410 Gone, or a copy with <c>revoked: true</c>, means
/// revoked); the BadgeClass and the Issuer Profile it names are fetched; the assertion and badge class ids must share the
/// Profile's origin unless its <c>verification</c> widens it (<c>allowedOrigins</c>, <c>startsWith</c>); <c>issuedOn</c>
/// must have been reached and <c>expires</c> not passed; optionally the recipient email is compared with the
/// <c>recipient</c> identity (hashed with its salt, or plain). Signed (JWS) assertions are reported as not supported.
/// </summary>
public sealed class Ob2AssertionVerifier(SafeHttpFetcher fetcher, TimeProvider timeProvider)
{
    public const string Context = "https://w3id.org/openbadges/v2";
    public const string Accept = "application/ld+json, application/json;q=0.9";

    public async Task<CredentialVerification> VerifyAsync(string input, string? recipientEmail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var checks = new List<VerificationCheck>();
        var text = input.Trim();
        if (!text.StartsWith('{'))
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var url) && fetcher.Fetches(url))
            {
                text = new JsonObject { ["id"] = url.AbsoluteUri, ["type"] = "Assertion", ["@context"] = Context, ["verification"] = new JsonObject { ["type"] = "hosted" } }.ToJsonString();
            }
            else
            {
                checks.Add(new(Ob2CheckCodes.Assertion, CheckOutcome.NotSupported,
                    "This is a signed Open Badges 2.0 assertion (or an address that is not https); only hosted assertions are verified."));
                return Done(checks, null, null);
            }
        }
        var given = Parse(text);
        if (AssertionProblem(given) is { } problem)
        {
            checks.Add(Fail(Ob2CheckCodes.Assertion, problem));
            return Done(checks, given, null);
        }
        var id = new Uri(Text(given!["id"])!);

        var fetched = await fetcher.GetAsync(id, Accept, cancellationToken);
        if (fetched.StatusCode == (int)HttpStatusCode.Gone)
        {
            checks.Add(Pass(Ob2CheckCodes.Assertion, "It is an Open Badges 2.0 hosted assertion."));
            checks.Add(Pass(Ob2CheckCodes.Hosted, $"The issuer answers for {id} (410 Gone)."));
            var revoked = new StatusListLookup(StatusListOutcome.Revoked, $"The issuer has revoked this badge: {id} answers 410 Gone.");
            checks.Add(Fail(CheckCodes.Status, revoked.Message));
            return Done(checks, given, revoked);
        }
        if (fetched is not { Succeeded: true, Content: { } content })
        {
            checks.Add(Pass(Ob2CheckCodes.Assertion, "It is an Open Badges 2.0 hosted assertion."));
            checks.Add(Fail(Ob2CheckCodes.Hosted, $"The hosted copy could not be fetched: {fetched.Error}"));
            return Done(checks, given, null);
        }
        var hosted = ParseBytes(content);
        if (hosted is not null && hosted["revoked"] is JsonValue flag && flag.TryGetValue<bool>(out var isRevoked) && isRevoked)
        {
            var reason = Text(hosted["revocationReason"]);
            var revoked = new StatusListLookup(StatusListOutcome.Revoked, "The issuer has revoked this badge" + (reason is null ? "." : $": {reason}"));
            checks.Add(Pass(Ob2CheckCodes.Assertion, "It is an Open Badges 2.0 hosted assertion."));
            checks.Add(Pass(Ob2CheckCodes.Hosted, $"The issuer answers for {id}."));
            checks.Add(Fail(CheckCodes.Status, revoked.Message));
            return Done(checks, given, revoked);
        }
        if (AssertionProblem(hosted) is { } hostedProblem)
        {
            checks.Add(Fail(Ob2CheckCodes.Assertion, "The hosted copy: " + hostedProblem));
            return Done(checks, hosted ?? given, null);
        }
        var assertion = hosted!;
        checks.Add(Pass(Ob2CheckCodes.Assertion, "It is an Open Badges 2.0 hosted assertion."));
        if (Text(assertion["id"]) != id.AbsoluteUri)
        {
            checks.Add(Fail(Ob2CheckCodes.Hosted, $"The copy hosted at {id} has the id \"{Text(assertion["id"])}\"."));
            return Done(checks, assertion, null);
        }
        checks.Add(Pass(Ob2CheckCodes.Hosted, $"The copy its issuer hosts at {id} was used."));

        var (badgeClass, badgeError) = await FetchTypedAsync(assertion["badge"], ["BadgeClass"], "badge", cancellationToken);
        checks.Add(badgeClass is null ? Fail(Ob2CheckCodes.BadgeClass, badgeError!) : Pass(Ob2CheckCodes.BadgeClass, $"The badge class {Text(badgeClass["id"])} names its issuer."));
        var (issuer, issuerError) = badgeClass is null ? (null, "The badge class could not be read.") : await FetchTypedAsync(badgeClass["issuer"], ["Issuer", "Profile"], "issuer", cancellationToken);
        checks.Add(issuer is null ? Fail(Ob2CheckCodes.Issuer, issuerError!) : Pass(Ob2CheckCodes.Issuer, $"The issuer profile {Text(issuer["id"])} ({Text(issuer["name"])}) was read."));
        CheckedIssuer? checkedIssuer = null;
        if (badgeClass is not null && issuer is not null)
        {
            var origin = CheckOrigin(id, new Uri(Text(badgeClass["id"])!), issuer);
            checks.Add(origin);
            checkedIssuer = origin.Outcome == CheckOutcome.Passed ? new CheckedIssuer(Text(issuer["id"])!, Text(issuer["name"])) : null;
        }
        checks.Add(CheckIssuedOn(assertion));
        checks.Add(CheckExpires(assertion));
        checks.Add(Pass(CheckCodes.Status, "The issuer still hosts the assertion and does not mark it revoked."));
        if (recipientEmail is not null)
        {
            checks.Add(CheckRecipient(assertion, recipientEmail));
        }
        return Done(checks, assertion, new StatusListLookup(StatusListOutcome.Active, "The issuer still hosts the assertion.")) with { Issuer = checkedIssuer };
    }

    /// <summary>What makes <paramref name="assertion"/> not an OB 2.0 hosted assertion; null when it is one.</summary>
    private string? AssertionProblem(JsonObject? assertion)
    {
        if (assertion is null)
        {
            return "it is not a JSON object.";
        }
        if (!Strings(assertion["@context"]).Contains(Context, StringComparer.Ordinal))
        {
            return $"its @context is not {Context}.";
        }
        if (!Strings(assertion["type"]).Contains("Assertion", StringComparer.Ordinal))
        {
            return $"its type is {assertion["type"]?.ToJsonString() ?? "missing"}, not \"Assertion\".";
        }
        if (!Uri.TryCreate(Text(assertion["id"]), UriKind.Absolute, out var id) || !fetcher.Fetches(id))
        {
            return "its id is not an https URL, so there is no hosted copy to check" + (id?.Scheme == Uri.UriSchemeHttp && id.IsLoopback
                ? " (a loopback http id such as the demo's is fetched only by the embedded host serving that address: run serve with the demo's data folder and verify there)."
                : ".");
        }
        var verification = assertion["verification"] as JsonObject;
        return Text(verification?["type"]) is "hosted" or "HostedBadge"
            ? null
            : $"its verification type is \"{Text(verification?["type"]) ?? "(none)"}\"; only hosted assertions are verified.";
    }

    /// <summary>A linked document (by URL, fetched) of one of <paramref name="types"/>.</summary>
    private async Task<(JsonObject? Document, string? Error)> FetchTypedAsync(JsonNode? link, string[] types, string what, CancellationToken cancellationToken)
    {
        var url = link is JsonObject embedded ? Text(embedded["id"]) : Text(link);
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return (null, $"The {what} is not given as a URL.");
        }
        var fetched = await fetcher.GetAsync(uri, Accept, cancellationToken);
        if (fetched is not { Succeeded: true, Content: { } content })
        {
            return (null, $"The {what} could not be fetched: {fetched.Error}");
        }
        var document = ParseBytes(content);
        if (document is null)
        {
            return (null, $"The {what} at {uri} is not a JSON object.");
        }
        if (!Strings(document["type"]).Any(t => types.Contains(t, StringComparer.Ordinal)))
        {
            return (null, $"The {what} at {uri} has type {document["type"]?.ToJsonString() ?? "(none)"}, not {string.Join(" or ", types)}.");
        }
        if (Text(document["id"]) != uri.AbsoluteUri)
        {
            return (null, $"The {what} at {uri} has the id \"{Text(document["id"])}\".");
        }
        return (document, null);
    }

    private static VerificationCheck CheckOrigin(Uri assertionId, Uri badgeClassId, JsonObject issuer)
    {
        var profileId = new Uri(Text(issuer["id"])!);
        var verification = issuer["verification"] as JsonObject;
        var allowedOrigins = Strings(verification?["allowedOrigins"]).ToList();
        var prefixes = Strings(verification?["startsWith"]).ToList();
        bool InScope(Uri id) => prefixes.Count > 0
            ? prefixes.Any(p => id.AbsoluteUri.StartsWith(p, StringComparison.Ordinal))
            : allowedOrigins.Count > 0
                ? allowedOrigins.Contains(id.Authority, StringComparer.OrdinalIgnoreCase)
                : Uri.Compare(id, profileId, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
        var outside = new[] { assertionId, badgeClassId }.Where(id => !InScope(id)).ToList();
        var scope = prefixes.Count > 0 ? "URLs starting with " + string.Join(" or ", prefixes)
            : allowedOrigins.Count > 0 ? "the allowed origins " + string.Join(", ", allowedOrigins)
            : "the issuer's origin " + profileId.GetLeftPart(UriPartial.Authority);
        return outside.Count == 0
            ? Pass(Ob2CheckCodes.Origin, $"The assertion and badge class are hosted within {scope}.")
            : Fail(Ob2CheckCodes.Origin, $"{string.Join(" and ", outside)} is outside {scope}, so the issuer does not vouch for it.");
    }

    private VerificationCheck CheckIssuedOn(JsonObject assertion)
    {
        if (!CredentialDates.TryParse(Text(assertion["issuedOn"]), out var issuedOn))
        {
            return Fail(CheckCodes.ValidFrom, $"issuedOn is missing or not an ISO 8601 date-time: {assertion["issuedOn"]?.ToJsonString() ?? "(none)"}.");
        }
        return issuedOn > timeProvider.GetUtcNow()
            ? Fail(CheckCodes.ValidFrom, $"It is issued on {Text(assertion["issuedOn"])}, which has not been reached.")
            : Pass(CheckCodes.ValidFrom, $"Issued on {Text(assertion["issuedOn"])}.");
    }

    private VerificationCheck CheckExpires(JsonObject assertion)
    {
        if (Text(assertion["expires"]) is not { } text)
        {
            return Pass(CheckCodes.ValidUntil, "It does not expire.");
        }
        if (!CredentialDates.TryParse(text, out var expires))
        {
            return Fail(CheckCodes.ValidUntil, $"expires is not an ISO 8601 date-time: \"{text}\".");
        }
        return expires <= timeProvider.GetUtcNow()
            ? Fail(CheckCodes.ValidUntil, $"It expired on {text}.")
            : Pass(CheckCodes.ValidUntil, $"It expires on {text}.");
    }

    private static VerificationCheck CheckRecipient(JsonObject assertion, string email)
    {
        if (assertion["recipient"] is not JsonObject recipient || Text(recipient["identity"]) is not { } identity)
        {
            return Fail(CheckCodes.Recipient, "The assertion has no recipient identity.");
        }
        if (Text(recipient["type"]) != "email")
        {
            return Fail(CheckCodes.Recipient, $"The recipient is identified by \"{Text(recipient["type"])}\", not by email.");
        }
        var hashed = recipient["hashed"] is JsonValue value && value.TryGetValue<bool>(out var h) && h;
        var matches = hashed
            ? identity.StartsWith("sha256$", StringComparison.OrdinalIgnoreCase) && RecipientIdentity.MatchesEmail(identity, Text(recipient["salt"]), email)
            : string.Equals(RecipientIdentity.NormalizeEmail(identity), RecipientIdentity.NormalizeEmail(email), StringComparison.Ordinal);
        return matches
            ? Pass(CheckCodes.Recipient, "The email matches the assertion's recipient.")
            : Fail(CheckCodes.Recipient, hashed
                ? "The email does not match the assertion's sha256 recipient hash (after trimming and lower-casing)."
                : "The email is not the assertion's recipient.");
    }

    private static CredentialVerification Done(List<VerificationCheck> checks, JsonObject? assertion, StatusListLookup? status)
    {
        var result = new VerificationResult(checks, assertion);
        return new CredentialVerification(result, status, LocalCredentialVerifier.VerdictOf(result, status));
    }

    /// <summary>Outside JSON, read as <see cref="StrictJson.ParseObject"/> reads it (one object, each member once); null otherwise.</summary>
    private static JsonObject? Parse(string text) => StrictJson.ParseObject(text).Json;

    private static JsonObject? ParseBytes(byte[] content) => Parse(System.Text.Encoding.UTF8.GetString(content));

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(Text).OfType<string>(),
        JsonValue => Text(node) is { } one ? [one] : [],
        _ => [],
    };

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static VerificationCheck Pass(string code, string message) => new(code, CheckOutcome.Passed, message);

    private static VerificationCheck Fail(string code, string message) => new(code, CheckOutcome.Failed, message);
}
