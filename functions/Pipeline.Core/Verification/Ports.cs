using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Pipeline.Core.Verification;

/// <summary>
/// Finds the public keys an issuer publishes (its JWK Set, its DID document), reached from the issuer id by the rules
/// of docs/verification.md ("Which keys count"). Fetching over the network is an adapter's job.
/// </summary>
public interface IIssuerKeyResolver
{
    /// <summary>
    /// The keys <paramref name="issuerId"/> publishes, narrowed to the header <c>kid</c> when it is given (may be null);
    /// empty when the issuer publishes none, or none with that kid. Never a key of another issuer, whatever the kid names.
    /// </summary>
    ValueTask<IReadOnlyList<JsonWebKey>> ResolveAsync(string? keyId, string issuerId, CancellationToken cancellationToken);
}

/// <summary>Checks a credential's <c>credentialStatus</c> (e.g. a Bitstring Status List entry).</summary>
public interface ICredentialStatusChecker
{
    ValueTask<CredentialStatusCheck> CheckAsync(JsonNode credentialStatus, CancellationToken cancellationToken);
}

/// <summary>Not revoked or suspended (<see cref="IsActive"/>), or why not, or why it could not be told.</summary>
public sealed record CredentialStatusCheck(bool IsActive, string Message);
