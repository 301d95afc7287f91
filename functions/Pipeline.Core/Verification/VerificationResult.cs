using System.Text.Json.Nodes;

namespace Pipeline.Core.Verification;

/// <summary>The outcome of one check.</summary>
public enum CheckOutcome
{
    Passed,
    Failed,
    /// <summary>The check does not apply or could not run for a stated reason that does not make the credential invalid (e.g. no status checker configured).</summary>
    Skipped,
    /// <summary>The credential uses a mechanism this verifier does not implement (Data Integrity proofs): it is not verified.</summary>
    NotSupported,
}

/// <summary>One check: a stable machine code (<see cref="CheckCodes"/>), its outcome, and a plain-words message.</summary>
public sealed record VerificationCheck(string Code, CheckOutcome Outcome, string Message);

/// <summary>All checks run, in order, and the credential JSON that was checked (null when none could be read).</summary>
public sealed record VerificationResult(IReadOnlyList<VerificationCheck> Checks, JsonObject? Credential)
{
    /// <summary>
    /// Valid when every check passed or was skipped and <see cref="IsAuthenticated"/>; a failed or unsupported check
    /// makes it invalid.
    /// </summary>
    public bool IsValid => IsAuthenticated && Checks.All(c => c.Outcome is CheckOutcome.Passed or CheckOutcome.Skipped);

    /// <summary>
    /// The checks show who issued it: a JWT whose <see cref="CheckCodes.JwtKey"/> (a key its issuer publishes) and
    /// <see cref="CheckCodes.JwtSignature"/> both passed, or a JSON credential whose <see cref="CheckCodes.Proof"/>
    /// passed. Any other input (an OB 2.0 assertion) is judged by its own checks alone.
    /// </summary>
    public bool IsAuthenticated =>
        Find(CheckCodes.JwtFormat) is not null
            ? Passed(CheckCodes.JwtKey) && Passed(CheckCodes.JwtSignature)
            : Find(CheckCodes.JsonFormat) is null || Passed(CheckCodes.Proof);

    private bool Passed(string code) => Find(code)?.Outcome == CheckOutcome.Passed;

    public VerificationCheck? Find(string code) => Checks.FirstOrDefault(c => c.Code == code);
}

/// <summary>What the caller knows about the expected recipient.</summary>
public sealed record VerificationOptions
{
    /// <summary>When set, the <see cref="CheckCodes.Recipient"/> check compares it with the subject's email identifiers.</summary>
    public string? RecipientEmail { get; init; }
}

/// <summary>The stable codes of <see cref="VerificationCheck.Code"/>.</summary>
public static class CheckCodes
{
    /// <summary>The input is a compact JWS with a JSON header and a JSON-object payload.</summary>
    public const string JwtFormat = "jwt-format";
    /// <summary>The header <c>alg</c> is RS256 or ES256 (nothing else is ever accepted: no <c>none</c>, no HS*).</summary>
    public const string JwtAlgorithm = "jwt-algorithm";
    /// <summary>
    /// The key is one the issuer the credential names publishes (found from the issuer id, narrowed by <c>kid</c>); a
    /// header <c>jwk</c> passes only when that issuer publishes the same key (RFC 7638 thumbprint). Fails when
    /// <c>iss</c> is not the credential's issuer id.
    /// </summary>
    public const string JwtKey = "jwt-key";
    /// <summary>The signature verifies with the issuer's key; skipped (and the credential invalid) when there is none.</summary>
    public const string JwtSignature = "jwt-signature";
    /// <summary><c>iss</c> equals the credential's issuer id.</summary>
    public const string JwtIss = "jwt-iss";
    /// <summary><c>sub</c> is present and equals <c>credentialSubject.id</c>.</summary>
    public const string JwtSub = "jwt-sub";
    /// <summary><c>jti</c> equals the credential <c>id</c>.</summary>
    public const string JwtJti = "jwt-jti";
    /// <summary><c>nbf</c> is present and equals <c>validFrom</c> (VC 1.1: <c>issuanceDate</c>).</summary>
    public const string JwtNbf = "jwt-nbf";
    /// <summary><c>exp</c> equals <c>validUntil</c> (VC 1.1: <c>expirationDate</c>), and is absent when that is.</summary>
    public const string JwtExp = "jwt-exp";
    /// <summary>A JSON input parses as a JSON object.</summary>
    public const string JsonFormat = "json-format";
    /// <summary>A JSON input's embedded proof: Data Integrity is <see cref="CheckOutcome.NotSupported"/>; no proof fails.</summary>
    public const string Proof = "proof";
    /// <summary>The credential validates against the OB 3.0 AchievementCredential (or EndorsementCredential) JSON Schema.</summary>
    public const string Schema = "schema";
    /// <summary><c>credentialSubject</c> has an <c>id</c> or at least one <c>identifier</c>.</summary>
    public const string SubjectIdentity = "subject-identity";
    public const string ValidFrom = "valid-from";
    public const string ValidUntil = "valid-until";
    /// <summary>The status entry; skipped when the issuer is not confirmed (no passed key and signature or proof).</summary>
    public const string Status = "status";
    public const string Recipient = "recipient";
}
