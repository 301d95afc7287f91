using System.Text.Json.Nodes;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Verification;

/// <summary>The one-word answer of a verification, as the public page shows it.</summary>
public enum CredentialVerdict
{
    /// <summary>Every check passed (or did not apply).</summary>
    Valid,
    /// <summary>Authentic, but the issuer has revoked or suspended it.</summary>
    Revoked,
    /// <summary>Authentic, but past its <c>validUntil</c>.</summary>
    Expired,
    /// <summary>A check failed: it cannot be trusted.</summary>
    Invalid,
}

/// <summary>The checks, the credential that was checked, the status list's answer and the verdict.</summary>
public sealed record CredentialVerification(VerificationResult Result, StatusListLookup? Status, CredentialVerdict Verdict)
{
    /// <summary>
    /// The issuer as the checks established it, when the credential itself does not name it (an OB 2.0 assertion: the
    /// issuer profile whose origin scope covers the assertion); null otherwise (the credential's issuer is shown).
    /// </summary>
    public CheckedIssuer? Issuer { get; init; }
}

/// <summary>An issuer's id and name as read from the document the checks tied to the credential.</summary>
public sealed record CheckedIssuer(string Id, string? Name);

/// <summary>
/// Verifies credentials against our own issuers, with no network access: signatures with the keys of the catalog
/// issuers (<see cref="IssuerKeys"/>), status with our own status lists (<see cref="StatusListChecker"/>).
/// </summary>
public sealed class LocalCredentialVerifier(IssuerKeys keys, StatusListChecker statusLists, TimeProvider timeProvider)
{
    public async Task<CredentialVerification> VerifyAsync(string credential, CancellationToken cancellationToken) =>
        await VerifyAsync(credential, await keys.ResolverAsync(cancellationToken), null, cancellationToken);

    /// <summary>Verifies with another key resolver (e.g. one that also resolves other issuers' keys) and options (the recipient).</summary>
    public async Task<CredentialVerification> VerifyAsync(string credential, IIssuerKeyResolver resolver, VerificationOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var status = new RecordingStatusChecker(statusLists);
        var verifier = new CredentialVerifier(resolver, timeProvider, status);
        var result = await verifier.VerifyAsync(credential, options, cancellationToken);
        return new CredentialVerification(result, status.Last, VerdictOf(result, status.Last));
    }

    /// <summary>The resolver of our own issuers' keys.</summary>
    public Task<IIssuerKeyResolver> LocalResolverAsync(CancellationToken cancellationToken) => keys.ResolverAsync(cancellationToken);

    /// <summary>
    /// Invalid when the checks do not show who issued it (<see cref="VerificationResult.IsAuthenticated"/>: for a JWT,
    /// a key its issuer publishes and a signature that verifies with it), or when any check other than expiry and
    /// status failed or is unsupported; else Expired when past
    /// <c>validUntil</c>; else Revoked when the status list has the bit set; else Invalid when status failed otherwise;
    /// else Valid.
    /// </summary>
    public static CredentialVerdict VerdictOf(VerificationResult result, StatusListLookup? status)
    {
        ArgumentNullException.ThrowIfNull(result);
        bool Bad(VerificationCheck c) => c.Outcome is CheckOutcome.Failed or CheckOutcome.NotSupported;
        if (!result.IsAuthenticated || result.Checks.Any(c => Bad(c) && c.Code is not (CheckCodes.ValidUntil or CheckCodes.Status)))
        {
            return CredentialVerdict.Invalid;
        }
        if (result.Find(CheckCodes.ValidUntil) is { } until && Bad(until))
        {
            return CredentialVerdict.Expired;
        }
        if (result.Find(CheckCodes.Status) is { } check && Bad(check))
        {
            return status?.Outcome is StatusListOutcome.Revoked or StatusListOutcome.Suspended ? CredentialVerdict.Revoked : CredentialVerdict.Invalid;
        }
        return CredentialVerdict.Valid;
    }

    /// <summary>Keeps the detailed answer the verifier's pass/fail status check is made from.</summary>
    private sealed class RecordingStatusChecker(StatusListChecker inner) : ICredentialStatusChecker
    {
        public StatusListLookup? Last { get; private set; }

        public async ValueTask<CredentialStatusCheck> CheckAsync(JsonNode credentialStatus, CancellationToken cancellationToken)
        {
            Last = await inner.LookUpAsync(credentialStatus, cancellationToken);
            return new CredentialStatusCheck(Last.Outcome == StatusListOutcome.Active, Last.Message);
        }
    }
}
