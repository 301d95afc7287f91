using System.Text.Json.Nodes;
using Pipeline.Core.Catalog;
using Pipeline.Core.Signing;

namespace Pipeline.Core.Credentials;

/// <summary>
/// The public documents that make an issuer discoverable (design: Public URLs): its JWK Set, the all-issuers
/// JWK Set, its <c>did:web</c> DID document, its OB 3.0 Profile and its achievements.
/// Every JWK here has <c>kid</c> = <see cref="VcJwt.KeyId"/>, the value signed into JWT headers.
/// </summary>
public static class IssuerDocuments
{
    /// <summary>An issuer and the public half of its signing key (from <see cref="ISigner.GetPublicKeyAsync"/>).</summary>
    /// <summary>A public key of an issuer; <paramref name="Reference"/> names which of its keys (default: the current one), and so its kid.</summary>
    public sealed record IssuerKey(Issuer Issuer, PublicJwk Key, SigningKeyReference? Reference = null);

    /// <summary><c>/issuers/{issuer}/jwks.json</c>: <c>{keys:[jwk]}</c>, the JWK's kid rewritten to the full key URI.</summary>
    public static JsonObject IssuerJwks(Issuer issuer, PublicJwk key) =>
        new() { ["keys"] = new JsonArray(Jwk(issuer, key, withIssuer: false)) };

    /// <summary><c>/issuers/{issuer}/jwks.json</c> with every key still published: the current one first, then the previous ones.</summary>
    public static JsonObject IssuerJwks(IEnumerable<IssuerKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)Jwk(k.Issuer, k.Key, withIssuer: false, k.Reference))]) };
    }

    /// <summary><c>/.well-known/jwks.json</c>: every issuer's key, each with <c>iss</c> = the issuer id (its profile URL).</summary>
    public static JsonObject AllIssuersJwks(IEnumerable<IssuerKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)Jwk(k.Issuer, k.Key, withIssuer: true, k.Reference))]) };
    }

    /// <summary>
    /// <c>/issuers/{issuer}/did.json</c>: the DID document of <c>did:web:{host}:issuers:{issuer}</c> with one
    /// <c>JsonWebKey</c> verification method <c>{did}#{keyName}</c> (publicKeyJwk without kid/use/alg), referenced
    /// from <c>assertionMethod</c>. <c>alsoKnownAs</c> links the OB issuer id (the profile URL).
    /// </summary>
    public static JsonObject DidDocument(Issuer issuer, PublicJwk key) => DidDocument([new IssuerKey(issuer, key)]);

    /// <summary>
    /// The DID document with every key still published, as the issuer's JWK Set has them: the current key first, then
    /// the previous ones after a rotation, each a verification method <c>{did}#{keyName}</c> in <c>assertionMethod</c>,
    /// so what was signed before a rotation still resolves through the DID.
    /// </summary>
    public static JsonObject DidDocument(IReadOnlyList<IssuerKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0 || keys.Any(k => k.Issuer.Id != keys[0].Issuer.Id))
        {
            throw new ArgumentException("A DID document is of one issuer, with at least its current key.", nameof(keys));
        }
        var issuer = keys[0].Issuer;
        var did = issuer.Urls.IssuerDid(issuer.Id);
        var methods = keys.Select(k =>
        {
            var jwk = JwkJson.ToJson(k.Key);
            jwk.Remove("kid");
            jwk.Remove("use");
            jwk.Remove("alg");
            return new JsonObject
            {
                ["id"] = did + "#" + (k.Reference ?? issuer.Key).KeyName,
                ["type"] = "JsonWebKey",
                ["controller"] = did,
                ["publicKeyJwk"] = jwk,
            };
        }).ToList();
        return new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"),
            ["id"] = did,
            ["alsoKnownAs"] = new JsonArray(issuer.Urls.Issuer(issuer.Id).AbsoluteUri),
            ["verificationMethod"] = new JsonArray([.. methods]),
            ["assertionMethod"] = new JsonArray([.. methods.Select(m => (JsonNode)(string)m["id"]!)]),
        };
    }

    /// <summary><c>/issuers/{issuer}</c> as JSON: the OB 3.0 Profile with <c>@context</c> (validates against the OB 3.0 profile schema).</summary>
    public static JsonObject IssuerProfile(Issuer issuer, Uri? image)
    {
        var profile = OpenBadgeCredentialBuilder.IssuerProfile(issuer, image);
        return WithContext(profile);
    }

    /// <summary><c>/achievements/{id}</c> as JSON: the same Achievement object credentials embed, with <c>@context</c>.</summary>
    public static JsonObject Achievement(Achievement achievement, Issuer issuer, Uri image) =>
        WithContext(OpenBadgeCredentialBuilder.AchievementObject(achievement, issuer, image));

    private static JsonObject WithContext(JsonObject body)
    {
        var json = new JsonObject
        {
            ["@context"] = new JsonArray(OpenBadgeCredentialBuilder.VcContext, OpenBadgeCredentialBuilder.ObContext),
        };
        foreach (var (name, value) in body.ToList())
        {
            body.Remove(name);
            json[name] = value;
        }
        return json;
    }

    private static JsonObject Jwk(Issuer issuer, PublicJwk key, bool withIssuer, SigningKeyReference? reference = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Alg != issuer.Key.Algorithm.ToString())
        {
            throw new ArgumentException($"Issuer \"{issuer.Id}\" signs with {issuer.Key.Algorithm}, but the key given is {key.Alg}.", nameof(key));
        }
        var jwk = JwkJson.ToJson(key with { Kid = VcJwt.KeyId(issuer, reference ?? issuer.Key) });
        if (withIssuer)
        {
            jwk["iss"] = issuer.Urls.Issuer(issuer.Id).AbsoluteUri;
        }
        return jwk;
    }
}
