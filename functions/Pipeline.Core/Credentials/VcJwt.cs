using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Core.Catalog;
using Pipeline.Core.Json;
using Pipeline.Core.Pathways;
using Pipeline.Core.Signing;

namespace Pipeline.Core.Credentials;

/// <summary>
/// Secures a credential as a VC-JWT (OB 3.0 "JSON Web Token Proof Format", standards README §2.2): a compact JWS
/// whose header is exactly <c>{alg, kid, typ:"JWT"}</c> and whose payload is the credential itself plus the
/// registered claims <c>iss</c>, <c>jti</c>, <c>nbf</c>, <c>sub</c> and, when the credential has <c>validUntil</c>, <c>exp</c>.
/// <para>
/// <c>kid</c> is <c>https://{base}/issuers/{issuer}/jwks.json#{keyName}</c> (<see cref="KeyId"/>): the URL
/// dereferences to the issuer's JWK Set, and the JWK in that set (and in <c>/.well-known/jwks.json</c>) carries
/// this same full URI as its <c>kid</c> member (see <see cref="IssuerDocuments"/>), so a verifier can match either way.
/// </para>
/// </summary>
public sealed class VcJwt(ISigner signer)
{
    /// <summary>The JOSE <c>kid</c> of an issuer's signing key.</summary>
    public static string KeyId(Issuer issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return KeyId(issuer, issuer.Key);
    }

    /// <summary>The JOSE <c>kid</c> of one of an issuer's keys, current or previous (<see cref="Issuer.PreviousKeys"/>).</summary>
    public static string KeyId(Issuer issuer, SigningKeyReference key)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(key);
        return issuer.Urls.IssuerJwks(issuer.Id).AbsoluteUri + "#" + key.KeyName;
    }

    /// <summary>
    /// Signs any credential JSON (an OpenBadgeCredential, the BitstringStatusListCredential, …): the claims are read
    /// from the credential itself — <c>iss</c> = <c>issuer.id</c> (or <c>issuer</c> when a string), <c>jti</c> = <c>id</c>,
    /// <c>nbf</c> = <c>validFrom</c>, <c>sub</c> = <c>credentialSubject.id</c>, <c>exp</c> = <c>validUntil</c> when present.
    /// A credential missing <c>id</c>, <c>issuer</c>, <c>validFrom</c> or <c>credentialSubject.id</c> is a programming fault.
    /// The input is not modified.
    /// </summary>
    public Task<string> SignCredentialAsync(JsonObject credential, Issuer issuer, CancellationToken cancellationToken) =>
        SignPayloadAsync(ToClaims(credential), issuer, cancellationToken);

    /// <summary>Signs a claim set exactly as given (no claims added) with the issuer's key; header <c>{alg, kid, typ}</c>.</summary>
    public async Task<string> SignPayloadAsync(JsonObject payload, Issuer issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(issuer);
        var header = new JsonObject
        {
            ["alg"] = issuer.Key.Algorithm.ToString(),
            ["kid"] = KeyId(issuer),
            ["typ"] = "JWT",
        };
        var signingInput = Encode(header) + "." + Encode(payload);
        var digest = SHA256.HashData(Encoding.ASCII.GetBytes(signingInput));
        var signature = await signer.SignDigestAsync(issuer.Key, digest, cancellationToken);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The JWT payload for a credential: a copy of it followed by iss, jti, nbf, sub and exp (see <see cref="SignCredentialAsync"/>).</summary>
    public static JsonObject ToClaims(JsonObject credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        string Required(JsonNode? node, string pointer) =>
            node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
                ? text
                : throw new ArgumentException($"Credential {pointer}: expected a non-empty string.", nameof(credential));
        var issuerNode = credential["issuer"];
        var iss = issuerNode is JsonObject profile ? Required(profile["id"], "/issuer/id") : Required(issuerNode, "/issuer");
        var jti = Required(credential["id"], "/id");
        var sub = Required((credential["credentialSubject"] as JsonObject)?["id"], "/credentialSubject/id");
        var validFrom = Required(credential["validFrom"], "/validFrom");
        if (!CredentialDates.TryParse(validFrom, out var nbf))
        {
            throw new ArgumentException($"Credential /validFrom: expected a date-time with zone, found \"{validFrom}\".", nameof(credential));
        }
        var claims = (JsonObject)credential.DeepClone();
        claims["iss"] = iss;
        claims["jti"] = jti;
        claims["nbf"] = nbf.ToUnixTimeSeconds();
        claims["sub"] = sub;
        if (credential["validUntil"] is { } validUntilNode)
        {
            var validUntil = Required(validUntilNode, "/validUntil");
            if (!CredentialDates.TryParse(validUntil, out var exp))
            {
                throw new ArgumentException($"Credential /validUntil: expected a date-time with zone, found \"{validUntil}\".", nameof(credential));
            }
            claims["exp"] = exp.ToUnixTimeSeconds();
        }
        return claims;
    }

    private static string Encode(JsonObject json) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString(CanonicalJson.Options)));
}
