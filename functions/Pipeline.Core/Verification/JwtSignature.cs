using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Pipeline.Core.Verification;

/// <summary>
/// The one place a JWS signature is checked (credentials and status lists alike): only the signature, with exactly
/// the algorithm already allowed by the caller; claims and dates are checked by the caller against the JSON.
/// </summary>
internal static class JwtSignature
{
    public static Task<TokenValidationResult> ValidateAsync(string jwt, string allowedAlgorithm, IEnumerable<SecurityKey> keys) =>
        new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidAlgorithms = [allowedAlgorithm],
            TryAllIssuerSigningKeys = true,
            RequireSignedTokens = true,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidateIssuerSigningKey = false,
        });
}
