using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pipeline.Core.Credentials;
using Pipeline.Core.Json;

namespace Pipeline.Core.Verification;

/// <summary>
/// Verifies an OB 3.0 credential given as a VC-JWT (compact JWS) or as JSON, following the OB 3.0 verifier
/// algorithm (standards README §2.7). Signatures are checked by <see cref="JsonWebTokenHandler"/>, independent of
/// our signing code, with RS256 and ES256 as the only algorithms ever accepted, and only with a key the issuer the
/// credential names publishes (found by the <see cref="IIssuerKeyResolver"/> from the issuer id; a header <c>jwk</c>
/// only when the issuer publishes that same key). Every check is reported (see
/// <see cref="CheckCodes"/>); expected failures are results, never exceptions. Data Integrity proofs are reported
/// as <see cref="CheckOutcome.NotSupported"/>. Times come from the <see cref="TimeProvider"/>.
/// </summary>
public sealed class CredentialVerifier(IIssuerKeyResolver keyResolver, TimeProvider timeProvider, ICredentialStatusChecker? statusChecker = null)
{
    private static readonly string[] AllowedAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];

    public async Task<VerificationResult> VerifyAsync(string input, VerificationOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new VerificationOptions();
        var checks = new List<VerificationCheck>();
        var text = input.Trim();
        JsonObject? credential = text.StartsWith('{')
            ? ReadJson(text, checks)
            : await ReadJwtAsync(text, checks, cancellationToken);
        if (credential is not null)
        {
            var authenticated = new VerificationResult(checks, credential).IsAuthenticated;
            await CheckCredentialAsync(credential, options, authenticated, checks, cancellationToken);
        }
        return new VerificationResult(checks, credential);
    }

    /// <summary>
    /// A member named twice is rejected when parsing (found by fuzzing: JsonObject otherwise throws on first access,
    /// and two parsers that keep different duplicates disagree about what was signed).
    /// </summary>
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    private static JsonObject? ReadJson(string text, List<VerificationCheck> checks)
    {
        JsonObject? credential;
        try
        {
            credential = JsonNode.Parse(text, documentOptions: StrictJson) as JsonObject;
        }
        catch (JsonException e)
        {
            checks.Add(Fail(CheckCodes.JsonFormat, $"The input is not valid JSON, or names a member twice{JsonErrorPosition.Describe(e)}."));
            return null;
        }
        if (credential is null)
        {
            checks.Add(Fail(CheckCodes.JsonFormat, "The input is JSON but not a JSON object."));
            return null;
        }
        checks.Add(Pass(CheckCodes.JsonFormat, "The input is a JSON object."));
        checks.Add(credential["proof"] switch
        {
            null => Fail(CheckCodes.Proof, "The credential has no proof and is not a JWT: nothing shows who issued it."),
            _ => new VerificationCheck(CheckCodes.Proof, CheckOutcome.NotSupported,
                "The credential carries an embedded (Data Integrity) proof; this verifier checks only VC-JWT signatures, so the proof was not verified and nothing shows who issued it."),
        });
        return credential;
    }

    private async Task<JsonObject?> ReadJwtAsync(string token, List<VerificationCheck> checks, CancellationToken cancellationToken)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || TryDecodeObject(parts[0]) is not { } header || TryDecodeObject(parts[1]) is not { } payload)
        {
            checks.Add(Fail(CheckCodes.JwtFormat, "The input is neither JSON nor a compact JWS (three base64url parts: a JSON header, a JSON object payload, a signature)."));
            return null;
        }
        checks.Add(Pass(CheckCodes.JwtFormat, "The input is a compact JWS with a JSON header and payload."));

        var alg = header["alg"] is JsonValue algValue && algValue.TryGetValue<string>(out var a) ? a : null;
        if (alg is null || !AllowedAlgorithms.Contains(alg, StringComparer.Ordinal))
        {
            checks.Add(Fail(CheckCodes.JwtAlgorithm, $"The header alg is \"{alg ?? "(missing)"}\"; only RS256 and ES256 are accepted."));
            return null;
        }
        checks.Add(Pass(CheckCodes.JwtAlgorithm, $"The header alg {alg} is allowed."));

        var legacy = payload["vc"] as JsonObject;
        var credential = legacy ?? payload;
        var iss = Text(payload["iss"]);
        var keys = await ResolveKeysAsync(header, iss, IssuerIdOf(credential), legacy is not null, checks, cancellationToken);
        checks.Add(keys.Count == 0
            ? new VerificationCheck(CheckCodes.JwtSignature, CheckOutcome.Skipped, "The signature was not checked: there is no key of the issuer to check it with.")
            : await CheckSignatureAsync(token, alg, keys));

        CheckClaims(payload, credential, legacy is not null, checks);
        return credential;
    }

    /// <summary>
    /// The keys that may have signed the token: only keys the issuer the credential names publishes (found by the
    /// <see cref="IIssuerKeyResolver"/> from the issuer id). The issuer is the credential's <c>issuer</c> id, which
    /// <c>iss</c> must equal (a VC 1.1 <c>vc</c> claim without an issuer: <c>iss</c>). A header <c>jwk</c> counts only
    /// when the issuer publishes that same key (equal RFC 7638 thumbprints), and then the published key is used. The
    /// headers <c>jku</c>, <c>x5u</c> and <c>x5c</c> are never read: nothing they name is fetched or trusted.
    /// </summary>
    private async Task<IReadOnlyList<JsonWebKey>> ResolveKeysAsync(
        JsonObject header, string? iss, string? credentialIssuer, bool legacy, List<VerificationCheck> checks, CancellationToken cancellationToken)
    {
        var issuer = credentialIssuer ?? (legacy ? iss : null);
        if (issuer is null)
        {
            checks.Add(Fail(CheckCodes.JwtKey, "The credential names no issuer, so no key can be tied to one: anyone could have signed it."));
            return [];
        }
        if (iss is not null && iss != issuer)
        {
            checks.Add(Fail(CheckCodes.JwtKey, $"The JWT's iss \"{iss}\" is not the issuer the credential names (\"{issuer}\"), so its key cannot be tied to the issuer shown."));
            return [];
        }
        var kid = header["kid"] is JsonValue kidValue && kidValue.TryGetValue<string>(out var k) ? k : null;
        if (header["kid"] is not null && kid is null)
        {
            checks.Add(Fail(CheckCodes.JwtKey, "The JWT header kid is not a string."));
            return [];
        }
        if (header["jwk"] is { } jwkNode)
        {
            return await HeaderJwkKeysAsync(jwkNode, kid, issuer, checks, cancellationToken);
        }
        var keys = await keyResolver.ResolveAsync(kid, issuer, cancellationToken);
        checks.Add(keys.Count > 0
            ? Pass(CheckCodes.JwtKey, kid is null
                ? $"{issuer} publishes {Keys(keys.Count)}; the signature is checked with {(keys.Count == 1 ? "it" : "them")}."
                : $"The key \"{kid}\" is one {issuer} publishes.")
            : Fail(CheckCodes.JwtKey, kid is null
                ? $"{issuer} publishes no key this verifier can find, so the signature cannot be tied to it."
                : $"{issuer} does not publish the key \"{kid}\" named in the JWT header: anyone could have signed it."));
        return keys;
    }

    private async Task<IReadOnlyList<JsonWebKey>> HeaderJwkKeysAsync(
        JsonNode jwkNode, string? kid, string issuer, List<VerificationCheck> checks, CancellationToken cancellationToken)
    {
        if (jwkNode is not JsonObject jwk || !JwksKeyResolver.IsPublicAsymmetric(jwk) || JwkThumbprint.Of(jwk) is not { } thumbprint)
        {
            checks.Add(Fail(CheckCodes.JwtKey, "The JWT header jwk is not an RSA or EC public key (it is malformed, of another type, or carries private key members), so it is not used."));
            return [];
        }
        var published = await keyResolver.ResolveAsync(kid, issuer, cancellationToken);
        var same = published.Where(key => JwkThumbprint.Of(key) == thumbprint).ToList();
        checks.Add(same.Count > 0
            ? Pass(CheckCodes.JwtKey, $"The JWT header carries its own key, and {issuer} publishes that same key (RFC 7638 thumbprint {thumbprint}).")
            : Fail(CheckCodes.JwtKey, $"The JWT header carries its own key, and {issuer} does not publish that key: anyone could have signed it."));
        return same;
    }

    private static string Keys(int count) => count == 1 ? "1 key" : $"{count} keys";

    private static async Task<VerificationCheck> CheckSignatureAsync(string token, string alg, IReadOnlyList<JsonWebKey> keys)
    {
        var result = await JwtSignature.ValidateAsync(token, alg, keys);
        return result.IsValid
            ? Pass(CheckCodes.JwtSignature, $"The {alg} signature verifies with the issuer's key.")
            : Fail(CheckCodes.JwtSignature, $"The {alg} signature does not verify with the issuer's {(keys.Count == 1 ? "key" : "keys")}: the badge was changed after it was signed, or someone else signed it.");
    }

    /// <summary>The issuer id a credential names: <c>issuer.id</c>, or <c>issuer</c> when it is a string; null when neither.</summary>
    public static string? IssuerIdOf(JsonObject credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return credential["issuer"] is JsonObject profile ? Text(profile["id"]) : Text(credential["issuer"]);
    }

    private static void CheckClaims(JsonObject payload, JsonObject credential, bool legacy, List<VerificationCheck> checks)
    {
        var issuerId = IssuerIdOf(credential);
        var subjectId = Text(Subject(credential)?["id"]);
        CompareText(checks, CheckCodes.JwtIss, "iss", Text(payload["iss"]), "issuer id", issuerId, legacy);
        CompareText(checks, CheckCodes.JwtJti, "jti", Text(payload["jti"]), "id", Text(credential["id"]), legacy);
        CompareText(checks, CheckCodes.JwtSub, "sub", Text(payload["sub"]), "credentialSubject.id", subjectId, legacy);
        CompareDate(checks, CheckCodes.JwtNbf, "nbf", payload["nbf"], ValidFromText(credential), required: true);
        CompareDate(checks, CheckCodes.JwtExp, "exp", payload["exp"], ValidUntilText(credential), required: false);
    }

    private static void CompareText(List<VerificationCheck> checks, string code, string claim, string? claimValue, string member, string? memberValue, bool legacy)
    {
        checks.Add((claimValue, memberValue) switch
        {
            (null, _) => Fail(code, $"The JWT has no {claim} claim; OB 3.0 requires {claim} = {member}."),
            (_, null) when legacy => Pass(code, $"{claim} \"{claimValue}\" stands in for the {member} the vc claim leaves out."),
            (_, null) => Fail(code, $"The credential has no {member} to match {claim} \"{claimValue}\"."),
            _ when claimValue == memberValue => Pass(code, $"{claim} equals the {member}."),
            _ => Fail(code, $"{claim} is \"{claimValue}\" but the {member} is \"{memberValue}\"."),
        });
    }

    private static void CompareDate(List<VerificationCheck> checks, string code, string claim, JsonNode? claimNode, string? memberText, bool required)
    {
        long? seconds = claimNode is JsonValue v && v.TryGetValue<long>(out var s) ? s : null;
        if (claimNode is not null && seconds is null)
        {
            checks.Add(Fail(code, $"{claim} is not a NumericDate (integer seconds)."));
            return;
        }
        DateTimeOffset? member = CredentialDates.TryParse(memberText, out var m) ? m : null;
        checks.Add((seconds, member) switch
        {
            (null, null) when !required => Pass(code, $"Neither {claim} nor the matching date is present."),
            (null, _) when required => Fail(code, $"The JWT has no {claim} claim; OB 3.0 requires it."),
            (null, _) => Fail(code, $"The credential has an end date ({memberText}) but the JWT has no {claim}."),
            (_, null) => Fail(code, $"The JWT has {claim} but the credential has no matching date."),
            _ when seconds == member!.Value.ToUnixTimeSeconds() => Pass(code, $"{claim} equals {memberText}."),
            _ => Fail(code, $"{claim} is {DateTimeOffset.FromUnixTimeSeconds(seconds!.Value):O} but the credential says {memberText}."),
        });
    }

    private async Task CheckCredentialAsync(
        JsonObject credential, VerificationOptions options, bool authenticated, List<VerificationCheck> checks, CancellationToken cancellationToken)
    {
        var schema = (credential["type"] as JsonArray)?.Any(t => Text(t) == "EndorsementCredential") == true
            ? CredentialSchemas.EndorsementCredential
            : CredentialSchemas.AchievementCredential;
        var errors = CredentialSchemas.Validate(schema, credential);
        checks.Add(errors.Count == 0
            ? Pass(CheckCodes.Schema, $"The credential matches {schema}.")
            : Fail(CheckCodes.Schema, $"The credential does not match {schema}: {string.Join("; ", errors)}"));

        var subject = Subject(credential);
        var hasIdentifier = subject?["identifier"] is JsonArray { Count: > 0 } or JsonObject;
        checks.Add(Text(subject?["id"]) is not null || hasIdentifier
            ? Pass(CheckCodes.SubjectIdentity, "The subject has an id or an identifier.")
            : Fail(CheckCodes.SubjectIdentity, "The subject has neither an id nor an identifier, so nobody can show it is theirs."));

        var now = timeProvider.GetUtcNow();
        var validFromText = ValidFromText(credential);
        var fromOk = CredentialDates.TryParse(validFromText, out var validFrom);
        checks.Add(!fromOk
            ? Fail(CheckCodes.ValidFrom, $"validFrom is missing or not a date-time with zone (found \"{validFromText}\").")
            : validFrom <= now
                ? Pass(CheckCodes.ValidFrom, $"Valid from {validFromText}.")
                : Fail(CheckCodes.ValidFrom, $"Not valid yet: validFrom is {validFromText}."));

        var validUntilText = ValidUntilText(credential);
        var untilOk = true;
        if (validUntilText is null)
        {
            checks.Add(Pass(CheckCodes.ValidUntil, "The credential does not expire."));
        }
        else if (!CredentialDates.TryParse(validUntilText, out var validUntil))
        {
            untilOk = false;
            checks.Add(Fail(CheckCodes.ValidUntil, $"validUntil is not a date-time with zone (found \"{validUntilText}\")."));
        }
        else
        {
            untilOk = now <= validUntil;
            checks.Add(untilOk
                ? Pass(CheckCodes.ValidUntil, $"Valid until {validUntilText}.")
                : Fail(CheckCodes.ValidUntil, $"Expired: validUntil was {validUntilText}."));
        }

        checks.Add(await CheckStatusAsync(credential, authenticated, fromOk && validFrom <= now && untilOk, cancellationToken));

        if (options.RecipientEmail is { } email)
        {
            checks.Add(CheckRecipient(subject, email));
        }
    }

    private async Task<VerificationCheck> CheckStatusAsync(JsonObject credential, bool authenticated, bool inWindow, CancellationToken cancellationToken)
    {
        var status = credential["credentialStatus"];
        if (status is null)
        {
            return new VerificationCheck(CheckCodes.Status, CheckOutcome.Skipped, "The credential has no credentialStatus.");
        }
        if (!authenticated)
        {
            return new VerificationCheck(CheckCodes.Status, CheckOutcome.Skipped, "Revocation was not checked: nothing above shows that the issuer issued this credential.");
        }
        if (!inWindow)
        {
            return new VerificationCheck(CheckCodes.Status, CheckOutcome.Skipped, "Status is not checked outside the validity window.");
        }
        if (statusChecker is null)
        {
            return new VerificationCheck(CheckCodes.Status, CheckOutcome.Skipped, "No status checker is configured; revocation was not checked.");
        }
        var result = await statusChecker.CheckAsync(status, cancellationToken);
        return result.IsActive ? Pass(CheckCodes.Status, result.Message) : Fail(CheckCodes.Status, result.Message);
    }

    private static VerificationCheck CheckRecipient(JsonObject? subject, string email)
    {
        var identifiers = subject?["identifier"] switch
        {
            JsonArray array => array.OfType<JsonObject>().ToList(),
            JsonObject single => [single],
            _ => [],
        };
        foreach (var identifier in identifiers.Where(i => Text(i["identityType"]) == "emailAddress"))
        {
            var value = Text(identifier["identityHash"]);
            var hashed = identifier["hashed"] is JsonValue h && h.TryGetValue<bool>(out var b) && b;
            var matches = value is not null && (hashed
                ? value.StartsWith("sha256$", StringComparison.OrdinalIgnoreCase) && RecipientIdentity.MatchesEmail(value, Text(identifier["salt"]), email)
                : RecipientIdentity.NormalizeEmail(value) == RecipientIdentity.NormalizeEmail(email));
            if (matches)
            {
                return Pass(CheckCodes.Recipient, "The email matches the subject's email identifier.");
            }
        }
        return Fail(CheckCodes.Recipient, identifiers.Count == 0
            ? "The subject has no identifier to compare the email with."
            : "The email matches none of the subject's sha256 email identifiers (after trimming and lower-casing).");
    }

    private static JsonObject? Subject(JsonObject credential) => credential["credentialSubject"] switch
    {
        JsonObject single => single,
        JsonArray array => array.OfType<JsonObject>().FirstOrDefault(),
        _ => null,
    };

    private static string? ValidFromText(JsonObject credential) => Text(credential["validFrom"]) ?? Text(credential["issuanceDate"]);

    private static string? ValidUntilText(JsonObject credential) => Text(credential["validUntil"]) ?? Text(credential["expirationDate"]);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static JsonObject? TryDecodeObject(string part)
    {
        if (part.Length == 0 || !Base64Url.IsValid(part))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(part)), documentOptions: StrictJson) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static VerificationCheck Pass(string code, string message) => new(code, CheckOutcome.Passed, message);

    private static VerificationCheck Fail(string code, string message) => new(code, CheckOutcome.Failed, message);
}
