using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Pipeline.Core.Http.Pages;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Http.Verify;

/// <summary>
/// <c>POST /api/verify</c> (JSON: the verdict and every check with its code and message) and
/// <c>POST /credentials/verify</c> (the same result as the verification page, for the page's upload form). Our own
/// credentials are checked against our keys and status lists; other issuers' keys and status lists, and OB 2.0 hosted
/// assertions (<see cref="Ob2AssertionVerifier"/>), are fetched with the <see cref="SafeHttpFetcher"/>. Input that cannot be read is a problem details answer, never a 500.
/// </summary>
public sealed class VerifyEndpoints(LocalCredentialVerifier verifier, SafeHttpFetcher fetcher, TimeProvider timeProvider)
{
    public async Task<IResult> VerifyApiAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (input, problem) = await VerificationInputReader.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return Problems.Write(request, problem.Type, problem.Detail);
        }
        var verification = await VerifyAsync(input!, cancellationToken);
        return Responses.Json(Body(verification, timeProvider.GetUtcNow()), MediaTypes.Json, cacheSeconds: null);
    }

    public async Task<IResult> VerifyPageAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (input, problem) = await VerificationInputReader.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return Problems.Write(request, problem.Type, problem.Detail);
        }
        var verification = await VerifyAsync(input!, cancellationToken);
        return Responses.Page(VerificationPage.Render(null, verification, timeProvider.GetUtcNow()), isPrivate: true);
    }

    public async Task<CredentialVerification> VerifyAsync(VerificationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.IsOb2)
        {
            return await new Ob2AssertionVerifier(fetcher, timeProvider).VerifyAsync(input.Credential, input.Recipient, cancellationToken);
        }
        var resolver = new RemoteIssuerKeyResolver(await verifier.LocalResolverAsync(cancellationToken), fetcher);
        var options = input.Recipient is null ? null : new VerificationOptions { RecipientEmail = input.Recipient };
        return await verifier.VerifyAsync(input.Credential, resolver, options, cancellationToken);
    }

    /// <summary>The API answer: verdict, the credential's id, name and issuer when read, and every check.</summary>
    public static JsonObject Body(CredentialVerification verification, DateTimeOffset checkedAt)
    {
        ArgumentNullException.ThrowIfNull(verification);
        var credential = verification.Result.Credential;
        var checks = new JsonArray();
        foreach (var check in verification.Result.Checks)
        {
            checks.Add(new JsonObject
            {
                ["code"] = check.Code,
                ["outcome"] = OutcomeCode(check.Outcome),
                ["label"] = CheckExplanations.For(check.Code).Label,
                ["message"] = check.Message,
            });
        }
        return new JsonObject
        {
            ["verdict"] = verification.Verdict.ToString().ToLowerInvariant(),
            ["checkedAt"] = checkedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["credential"] = credential is null ? null : new JsonObject
            {
                ["id"] = credential["id"]?.DeepClone(),
                ["name"] = credential["name"]?.DeepClone(),
                ["issuer"] = verification.Issuer?.Id ?? CredentialVerifier.IssuerIdOf(credential),
                ["validFrom"] = credential["validFrom"]?.DeepClone(),
                ["validUntil"] = credential["validUntil"]?.DeepClone(),
            },
            ["status"] = verification.Status?.Outcome.ToString().ToLowerInvariant(),
            ["checks"] = checks,
        };
    }

    /// <summary><c>passed</c>, <c>failed</c>, <c>skipped</c> or <c>not-supported</c>.</summary>
    public static string OutcomeCode(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Passed => "passed",
        CheckOutcome.Failed => "failed",
        CheckOutcome.NotSupported => "not-supported",
        _ => "skipped",
    };
}
