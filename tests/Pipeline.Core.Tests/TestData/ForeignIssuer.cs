using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Core.Tests.TestData;

/// <summary>
/// An issuer that is not in our catalog: <c>did:web:{host}</c> with one P-256 key, its DID document served by a
/// <see cref="CannedWeb"/>, and compact ES256 JWS signing.
/// </summary>
internal sealed class ForeignIssuer : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ForeignIssuer(CannedWeb web, string host = "badges.example.org")
    {
        ArgumentNullException.ThrowIfNull(web);
        Host = host;
        var point = _key.ExportParameters(false).Q;
        var document = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/did/v1"),
            ["id"] = Did,
            ["verificationMethod"] = new JsonArray(new JsonObject
            {
                ["id"] = KeyId,
                ["type"] = "JsonWebKey2020",
                ["controller"] = Did,
                ["publicKeyJwk"] = new JsonObject
                {
                    ["kty"] = "EC",
                    ["crv"] = "P-256",
                    ["x"] = Base64Url.EncodeToString(point.X),
                    ["y"] = Base64Url.EncodeToString(point.Y),
                },
            }),
            ["assertionMethod"] = new JsonArray(KeyId),
        };
        web.Answer($"https://{host}/.well-known/did.json", document.ToJsonString());
    }

    public string Host { get; }

    public string Did => "did:web:" + Host;

    public string KeyId => Did + "#key-1";

    /// <summary>A compact JWS (ES256, kid = <see cref="KeyId"/>) of <paramref name="payload"/>.</summary>
    public string Sign(JsonObject payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var header = new JsonObject { ["alg"] = "ES256", ["typ"] = "vc+jwt", ["kid"] = KeyId };
        var input = $"{Encode(header)}.{Encode(payload)}";
        return $"{input}.{Base64Url.EncodeToString(_key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256))}";
    }

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));

    public void Dispose() => _key.Dispose();
}
