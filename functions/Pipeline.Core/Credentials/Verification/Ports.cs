using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Pipeline.Core.Credentials.Verification;

/// <summary>Finds the public keys that may have signed a JWT. Fetching over the network is an adapter's job.</summary>
public interface IIssuerKeyResolver
{
    /// <summary>Candidate keys for a header <c>kid</c> (may be null) and the token's <c>iss</c> (may be null); empty when none.</summary>
    ValueTask<IReadOnlyList<JsonWebKey>> ResolveAsync(string? keyId, string? issuerId, CancellationToken cancellationToken);
}

/// <summary>Checks a credential's <c>credentialStatus</c> (e.g. a Bitstring Status List entry).</summary>
public interface ICredentialStatusChecker
{
    ValueTask<CredentialStatusCheck> CheckAsync(JsonNode credentialStatus, CancellationToken cancellationToken);
}

/// <summary>Not revoked or suspended (<see cref="IsActive"/>), or why not, or why it could not be told.</summary>
public sealed record CredentialStatusCheck(bool IsActive, string Message);
