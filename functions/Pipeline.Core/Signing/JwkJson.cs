using System.Text.Json.Nodes;

namespace Pipeline.Core.Signing;

/// <summary>JSON forms of keys: the public JWK as a JSON object (RFC 7517 member names).</summary>
public static class JwkJson
{
    /// <summary>The public JWK as JSON: kty, kid, alg, use, then n/e or crv/x/y; absent members omitted.</summary>
    public static JsonObject ToJson(PublicJwk jwk)
    {
        ArgumentNullException.ThrowIfNull(jwk);
        var json = new JsonObject { ["kty"] = jwk.Kty, ["kid"] = jwk.Kid, ["alg"] = jwk.Alg, ["use"] = jwk.Use };
        Add(json, "n", jwk.N);
        Add(json, "e", jwk.E);
        Add(json, "crv", jwk.Crv);
        Add(json, "x", jwk.X);
        Add(json, "y", jwk.Y);
        return json;
    }

    private static void Add(JsonObject json, string name, string? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }
}
