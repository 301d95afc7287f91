using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Json;

namespace Pipeline.Core.Signing;

/// <summary>
/// A signer over private JWK files in one folder, for local runs and tests: <c>{folder}/{keyName}.jwk.json</c>,
/// one key per file (RSA 2048-bit for RS256, P-256 for ES256), created by <see cref="EnsureKeyAsync"/> with
/// owner-only permissions on Unix and never overwritten. Keys are loaded once and cached.
/// <see cref="SignDigestAsync"/> and <see cref="GetPublicKeyAsync"/> never create a key: a missing file is a
/// fault, so a mistyped key name cannot silently mint a new identity.
/// </summary>
public sealed class LocalJwkSigner : ISigner, IDisposable
{
    private const int RsaKeySizeBits = 2048;
    private readonly string _folder;
    private readonly ConcurrentDictionary<string, LoadedKey> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _createLock = new(1, 1);

    public LocalJwkSigner(string keyFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyFolder);
        _folder = Path.GetFullPath(keyFolder);
    }

    /// <summary>The file a key lives in.</summary>
    public string KeyPath(SigningKeyReference key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.KeyName.Length == 0 || !key.KeyName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || key.KeyName.StartsWith('.'))
        {
            throw new ArgumentException($"Key name \"{key.KeyName}\": expected ASCII letters, digits, '-', '_' or '.', not starting with '.'.", nameof(key));
        }
        return Path.Combine(_folder, key.KeyName + ".jwk.json");
    }

    /// <summary>Creates the key file if it does not exist yet; an existing file is left untouched (and must match the algorithm).</summary>
    public async Task EnsureKeyAsync(SigningKeyReference key, CancellationToken cancellationToken)
    {
        var path = KeyPath(key);
        await _createLock.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(_folder);
                var jwk = key.Algorithm switch
                {
                    SigningAlgorithm.RS256 => CreateRsaJwk(key.KeyName),
                    SigningAlgorithm.ES256 => CreateEcJwk(key.KeyName),
                    _ => throw new ArgumentOutOfRangeException(nameof(key), key.Algorithm, "Unsupported algorithm."),
                };
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                try
                {
                    await using var stream = new FileStream(path, options);
                    await using var writer = new StreamWriter(stream);
                    await writer.WriteAsync(jwk.ToJsonString(DocumentJson.Indented).AsMemory(), cancellationToken);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another process created it between the check and the create: keep theirs.
                }
            }
        }
        finally
        {
            _createLock.Release();
        }
        _ = await LoadAsync(key, cancellationToken);
    }

    public async Task<byte[]> SignDigestAsync(SigningKeyReference key, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken)
    {
        var loaded = await LoadAsync(key, cancellationToken);
        if (digest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"Expected a SHA-256 digest of {SHA256.HashSizeInBytes} bytes, found {digest.Length}.", nameof(digest));
        }
        return loaded switch
        {
            { Rsa: { } rsa } => rsa.SignHash(digest.Span, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            { Ec: { } ec } => ec.SignHash(digest.Span, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => throw new InvalidOperationException($"Key {key.KeyName} holds no usable key."),
        };
    }

    public async Task<PublicJwk> GetPublicKeyAsync(SigningKeyReference key, CancellationToken cancellationToken)
    {
        var loaded = await LoadAsync(key, cancellationToken);
        return loaded.Public;
    }

    public void Dispose()
    {
        foreach (var loaded in _cache.Values)
        {
            loaded.Rsa?.Dispose();
            loaded.Ec?.Dispose();
        }
        _cache.Clear();
        _createLock.Dispose();
    }

    private async Task<LoadedKey> LoadAsync(SigningKeyReference key, CancellationToken cancellationToken)
    {
        var path = KeyPath(key);
        if (_cache.TryGetValue(path, out var cached))
        {
            return Check(cached, key, path);
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No key file {path} for key \"{key.KeyName}\"; create it with EnsureKeyAsync.", path);
        }
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        var loaded = Parse(text, path, key.KeyName);
        var stored = _cache.GetOrAdd(path, loaded);
        if (!ReferenceEquals(stored, loaded))
        {
            loaded.Rsa?.Dispose();
            loaded.Ec?.Dispose();
        }
        return Check(stored, key, path);
    }

    private static LoadedKey Check(LoadedKey loaded, SigningKeyReference key, string path) =>
        loaded.Public.Alg == key.Algorithm.ToString()
            ? loaded
            : throw new InvalidOperationException($"{path}: key \"{key.KeyName}\" is {loaded.Public.Alg}, but the issuer expects {key.Algorithm}.");

    private static LoadedKey Parse(string text, string path, string keyName)
    {
        var jwk = JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException($"{path}: expected a JWK JSON object.");
        string Member(string name) => (string?)jwk[name] ?? throw new InvalidDataException($"{path}: JWK member \"{name}\" is missing.");
        byte[] Bytes(string name) => Base64Url.DecodeFromChars(Member(name));
        switch (Member("kty"))
        {
            case "RSA":
                // RFC 7518 encodes each member minimally; RSAParameters wants D as long as n, the CRT members half that.
                var modulus = Bytes("n");
                var half = (modulus.Length + 1) / 2;
                var parameters = new RSAParameters
                {
                    Modulus = modulus,
                    Exponent = Bytes("e"),
                    D = Pad(Bytes("d"), modulus.Length),
                    P = Pad(Bytes("p"), half),
                    Q = Pad(Bytes("q"), half),
                    DP = Pad(Bytes("dp"), half),
                    DQ = Pad(Bytes("dq"), half),
                    InverseQ = Pad(Bytes("qi"), half),
                };
                if (parameters.Modulus.Length * 8 < RsaKeySizeBits)
                {
                    throw new InvalidDataException($"{path}: RSA key of {parameters.Modulus.Length * 8} bits; at least {RsaKeySizeBits} required.");
                }
                var rsa = RSA.Create(parameters);
                return new LoadedKey(PublicOf(jwk, keyName, "RS256"), rsa, null);
            case "EC" when Member("crv") == "P-256":
                var ec = ECDsa.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = Bytes("x"), Y = Bytes("y") },
                    D = Pad(Bytes("d"), 32),
                });
                return new LoadedKey(PublicOf(jwk, keyName, "ES256"), null, ec);
            default:
                throw new InvalidDataException($"{path}: expected kty \"RSA\" or kty \"EC\" with crv \"P-256\", found kty \"{(string?)jwk["kty"]}\".");
        }
    }

    private static byte[] Pad(byte[] value, int length)
    {
        if (value.Length >= length)
        {
            return value;
        }
        var padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }

    private static PublicJwk PublicOf(JsonObject jwk, string keyName, string alg) => new()
    {
        Kty = (string)jwk["kty"]!,
        Kid = keyName,
        Alg = alg,
        N = (string?)jwk["n"],
        E = (string?)jwk["e"],
        Crv = (string?)jwk["crv"],
        X = (string?)jwk["x"],
        Y = (string?)jwk["y"],
    };

    private static JsonObject CreateRsaJwk(string keyName)
    {
        using var rsa = RSA.Create(RsaKeySizeBits);
        var p = rsa.ExportParameters(includePrivateParameters: true);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["kid"] = keyName,
            ["alg"] = "RS256",
            ["use"] = "sig",
            ["n"] = B64(p.Modulus),
            ["e"] = B64(p.Exponent),
            ["d"] = B64(p.D),
            ["p"] = B64(p.P),
            ["q"] = B64(p.Q),
            ["dp"] = B64(p.DP),
            ["dq"] = B64(p.DQ),
            ["qi"] = B64(p.InverseQ),
        };
    }

    private static JsonObject CreateEcJwk(string keyName)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(includePrivateParameters: true);
        return new JsonObject
        {
            ["kty"] = "EC",
            ["kid"] = keyName,
            ["alg"] = "ES256",
            ["use"] = "sig",
            ["crv"] = "P-256",
            ["x"] = B64(p.Q.X),
            ["y"] = B64(p.Q.Y),
            ["d"] = B64(p.D),
        };
    }

    private static string B64(byte[]? bytes) => Base64Url.EncodeToString(bytes ?? throw new CryptographicException("Key export returned no parameter."));

    private sealed record LoadedKey(PublicJwk Public, RSA? Rsa, ECDsa? Ec);
}
