using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core.Http.Admin;
using Pipeline.Local.Hosting;

namespace Pipeline.Local.Admin;

/// <summary>
/// The embedded host's admin API keys: <c>DATA/keys/admin-keys.json</c> holds each key's name and the SHA-256 of the
/// key (hex), never the key. A key is shown once, when <see cref="AddAsync"/> creates it. Every authentication reads
/// the file, so a revoked key stops working at once. The actor recorded in the audit log is the key's name.
/// </summary>
internal sealed class AdminKeyStore(string path, TimeProvider timeProvider) : IAdminAuthenticator
{
    public const string KeyPrefix = "cpa_";
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static string PathIn(LocalPaths paths) => Path.Combine(paths.Keys, "admin-keys.json");

    /// <summary>Creates a key named <paramref name="name"/> and returns it (the only time it is visible); null when the name is taken.</summary>
    public async Task<string?> AddAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var keys = await ReadAsync(cancellationToken);
            if (keys.Any(k => (string?)k!["name"] == name))
            {
                return null;
            }
            var key = KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            keys.Add(new JsonObject
            {
                ["name"] = name,
                ["sha256"] = Hash(key),
                ["createdAt"] = timeProvider.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            });
            await WriteAsync(keys, cancellationToken);
            return key;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Deletes the key named <paramref name="name"/>; false when there is none.</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var keys = await ReadAsync(cancellationToken);
            var found = keys.FirstOrDefault(k => (string?)k!["name"] == name);
            if (found is null)
            {
                return false;
            }
            keys.Remove(found);
            await WriteAsync(keys, cancellationToken);
            return true;
        }
        finally
        {
            Gate.Release();
        }
    }

    public async ValueTask<string?> AuthenticateAsync(string bearerToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bearerToken);
        if (!bearerToken.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var presented = Convert.FromHexString(Hash(bearerToken));
        string? actor = null;
        foreach (var key in await ReadAsync(cancellationToken))
        {
            if ((string?)key!["sha256"] is { Length: 64 } stored
                && CryptographicOperations.FixedTimeEquals(presented, Convert.FromHexString(stored)))
            {
                actor = (string?)key["name"];
            }
        }
        return actor;
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private async Task<JsonArray> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        try
        {
            return JsonNode.Parse(text)?["keys"] as JsonArray
                ?? throw new InvalidDataException($"{path}: expected an object with a \"keys\" array.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }

    private async Task WriteAsync(JsonArray keys, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, new JsonObject { ["keys"] = keys.DeepClone() }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
