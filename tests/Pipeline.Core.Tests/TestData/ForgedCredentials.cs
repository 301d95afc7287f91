using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Core.Baking;

namespace Pipeline.Core.Tests.TestData;

/// <summary>The attacker's key type: RSA (RS256) or P-256 (ES256).</summary>
public enum ForgeryKey
{
    Rsa,
    EC,
}

/// <summary>
/// The attacker of issue 21: a key of their own (never one an issuer publishes) and VC-JWTs signed with it in the name
/// of any issuer, each way a header can try to smuggle that key in (<c>jwk</c>, <c>jwk</c> with a borrowed <c>kid</c>,
/// <c>kid</c> pointing at the attacker's own key document, <c>jku</c>, <c>x5c</c>). Self-contained (only the BCL and
/// <see cref="PngBakery"/>), so other test projects link it (the CLI's <c>verify</c> tests, the embedded host's).
/// </summary>
internal sealed class ForgedCredentials : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    public ForgedCredentials(ForgeryKey key = ForgeryKey.Rsa)
    {
        Key = key;
        if (key == ForgeryKey.Rsa)
        {
            _rsa = RSA.Create(2048);
        }
        else
        {
            _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        }
    }

    public ForgeryKey Key { get; }

    public string Alg => Key == ForgeryKey.Rsa ? "RS256" : "ES256";

    /// <summary>The attacker's public key as a JWK (a fresh copy).</summary>
    public JsonObject PublicJwk
    {
        get
        {
            if (_rsa is not null)
            {
                var p = _rsa.ExportParameters(includePrivateParameters: false);
                return new JsonObject { ["kty"] = "RSA", ["n"] = Base64Url.EncodeToString(p.Modulus), ["e"] = Base64Url.EncodeToString(p.Exponent) };
            }
            var q = _ec!.ExportParameters(includePrivateParameters: false).Q;
            return new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(q.X), ["y"] = Base64Url.EncodeToString(q.Y) };
        }
    }

    /// <summary>The attacker's key with its private member <c>d</c>, as a careless header would carry it.</summary>
    public JsonObject PrivateJwk
    {
        get
        {
            var jwk = PublicJwk;
            jwk["d"] = Base64Url.EncodeToString(_rsa is not null ? _rsa.ExportParameters(true).D : _ec!.ExportParameters(true).D);
            return jwk;
        }
    }

    /// <summary>A JWK Set holding the attacker's public key (with <c>kid</c>, and <c>iss</c> when given), to serve from a canned web.</summary>
    public JsonObject Jwks(string kid, string? iss = null)
    {
        var jwk = PublicJwk;
        jwk["kid"] = kid;
        jwk["alg"] = Alg;
        if (iss is not null)
        {
            jwk["iss"] = iss;
        }
        return new JsonObject { ["keys"] = new JsonArray(jwk) };
    }

    /// <summary>A DID document of <paramref name="did"/> listing the attacker's key as <c>{did}#key-1</c> for assertions.</summary>
    public JsonObject DidDocument(string did) => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/did/v1"),
        ["id"] = did,
        ["verificationMethod"] = new JsonArray(new JsonObject
        {
            ["id"] = did + "#key-1",
            ["type"] = "JsonWebKey2020",
            ["controller"] = did,
            ["publicKeyJwk"] = PublicJwk,
        }),
        ["assertionMethod"] = new JsonArray(did + "#key-1"),
    };

    /// <summary>The payload (claims) of a compact JWS.</summary>
    public static JsonObject PayloadOf(string jwt) => Part(jwt, 1);

    /// <summary>The header of a compact JWS.</summary>
    public static JsonObject HeaderOf(string jwt) => Part(jwt, 0);

    /// <summary>
    /// The genuine credential's claims with a name of the attacker's choosing (the credential's and its achievement's):
    /// issuer, ids, subject and dates stay the issuer's, so every other check passes and only the key can tell.
    /// </summary>
    public static JsonObject Impersonating(string genuineJwt, string name = "Doctor of Medicine")
    {
        var payload = PayloadOf(genuineJwt);
        payload["name"] = name;
        if (payload["credentialSubject"]?["achievement"] is JsonObject achievement)
        {
            achievement["name"] = name;
        }
        return payload;
    }

    /// <summary>The forgery of issue 21: the attacker's key in the header <c>jwk</c>, no <c>kid</c>.</summary>
    public string WithHeaderJwk(JsonObject payload) => Sign(payload, new JsonObject { ["jwk"] = PublicJwk });

    /// <summary>The attacker's key in the header <c>jwk</c> beside a <c>kid</c> that is the issuer's.</summary>
    public string WithHeaderJwkAndKid(JsonObject payload, string kid) => Sign(payload, new JsonObject { ["kid"] = kid, ["jwk"] = PublicJwk });

    /// <summary>The attacker's key, private member included, in the header <c>jwk</c>.</summary>
    public string WithPrivateHeaderJwk(JsonObject payload) => Sign(payload, new JsonObject { ["jwk"] = PrivateJwk });

    /// <summary>A <c>kid</c> naming the attacker's own key document (a JWK Set URL or a DID URL).</summary>
    public string WithKid(JsonObject payload, string kid) => Sign(payload, new JsonObject { ["kid"] = kid });

    /// <summary>A <c>jku</c> naming the attacker's JWK Set, no <c>kid</c>.</summary>
    public string WithJku(JsonObject payload, string jku) => Sign(payload, new JsonObject { ["jku"] = jku });

    /// <summary>An <c>x5c</c> chain of one self-signed certificate for the attacker's key, no <c>kid</c>.</summary>
    public string WithX5c(JsonObject payload) =>
        Sign(payload, new JsonObject { ["x5c"] = new JsonArray(Convert.ToBase64String(SelfSignedCertificate())) });

    /// <summary>Signs <paramref name="payload"/> with the attacker's key under <paramref name="header"/> plus <c>alg</c> and <c>typ</c>.</summary>
    public string Sign(JsonObject payload, JsonObject header)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(header);
        var full = new JsonObject { ["alg"] = Alg, ["typ"] = "JWT" };
        foreach (var (name, value) in header)
        {
            full[name] = value?.DeepClone();
        }
        var input = Encode(full) + "." + Encode(payload);
        var data = Encoding.ASCII.GetBytes(input);
        var signature = _rsa is not null
            ? _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : _ec!.SignData(data, HashAlgorithmName.SHA256);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The JWT baked into a PNG (the achievement's art, say), as the upload form takes it.</summary>
    public static byte[] BakePng(byte[] art, string jwt)
    {
        var baked = PngBakery.Bake(art, BakedCredential.Ob3Jwt(jwt));
        return baked.Succeeded ? baked.Value! : throw new InvalidOperationException($"The art cannot be baked: {baked.Error?.Message}");
    }

    private byte[] SelfSignedCertificate()
    {
        var subject = new X500DistinguishedName("CN=University of Maine System");
        var request = _rsa is not null
            ? new CertificateRequest(subject, _rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, _ec!, HashAlgorithmName.SHA256);
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var certificate = request.CreateSelfSigned(now, now.AddYears(5));
        return certificate.RawData;
    }

    private static JsonObject Part(string jwt, int index) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(jwt.Trim().Split('.')[index]))!.AsObject();

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));

    public void Dispose()
    {
        _rsa?.Dispose();
        _ec?.Dispose();
    }
}
