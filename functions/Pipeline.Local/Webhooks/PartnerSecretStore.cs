using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core.Stages.Webhooks;

namespace Pipeline.Local.Webhooks;

/// <summary>What a secret-file change did.</summary>
internal enum SecretChange
{
    Done,
    /// <summary><c>add</c> on a partner that already has secrets, or <c>rotate</c> / <c>retire</c> on one that has none.</summary>
    WrongState,
    /// <summary><c>rotate</c> while two secrets are active: retire the older first.</summary>
    TwoActive,
}

/// <summary>
/// The embedded host's partner secrets: <c>DATA/keys/partners/{partner}.json</c>, readable by the owner only,
/// <c>{"partner": id, "secrets": [{"secret": "whsec_…", "createdAt": ISO 8601}]}</c>, newest first, at most two.
/// Read on every delivery, so a rotation by the CLI applies to a running host at once.
/// </summary>
internal sealed class PartnerSecretStore(string folder, TimeProvider timeProvider) : IPartnerSecrets
{
    public const int MaxActive = 2;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string PathOf(string partnerId) => partnerId is { Length: > 0 and <= 100 } && partnerId.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        ? Path.Combine(folder, partnerId + ".json")
        : throw new ArgumentException($"\"{partnerId}\" is not a partner id (a slug like \"bootcamp\").", nameof(partnerId));

    public async Task<IReadOnlyList<PartnerSecret>> GetActiveAsync(string partnerId, CancellationToken cancellationToken)
    {
        var path = PathOf(partnerId);
        if (!File.Exists(path))
        {
            return [];
        }
        var root = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken))
            ?? throw new InvalidDataException($"{path} is empty; expected {{\"partner\": …, \"secrets\": […]}}.");
        return [.. (root["secrets"]?.AsArray() ?? throw new InvalidDataException($"{path} /secrets: expected an array, found nothing."))
            .Select((node, i) => new PartnerSecret(
                node?["secret"]?.GetValue<string>() ?? throw new InvalidDataException($"{path} /secrets/{i}/secret: expected a string, found nothing."),
                DateTimeOffset.Parse(node["createdAt"]?.GetValue<string>() ?? throw new InvalidDataException($"{path} /secrets/{i}/createdAt: expected a date-time, found nothing."), CultureInfo.InvariantCulture)))
            .Take(MaxActive)];
    }

    /// <summary>Creates the partner's first secret; returns it (to print once) or the reason it did not.</summary>
    public async Task<(SecretChange Change, string? Secret)> AddAsync(string partnerId, CancellationToken cancellationToken)
    {
        if ((await GetActiveAsync(partnerId, cancellationToken)).Count > 0)
        {
            return (SecretChange.WrongState, null);
        }
        var secret = NewSecret();
        await WriteAsync(partnerId, [secret], cancellationToken);
        return (SecretChange.Done, secret.Value);
    }

    /// <summary>Adds a new secret in front of the current one; both verify until <see cref="RetireAsync"/>.</summary>
    public async Task<(SecretChange Change, string? Secret)> RotateAsync(string partnerId, CancellationToken cancellationToken)
    {
        var active = await GetActiveAsync(partnerId, cancellationToken);
        if (active.Count == 0)
        {
            return (SecretChange.WrongState, null);
        }
        if (active.Count >= MaxActive)
        {
            return (SecretChange.TwoActive, null);
        }
        var secret = NewSecret();
        await WriteAsync(partnerId, [secret, .. active], cancellationToken);
        return (SecretChange.Done, secret.Value);
    }

    /// <summary>Removes the older of two secrets: the partner has moved to the new one.</summary>
    public async Task<SecretChange> RetireAsync(string partnerId, CancellationToken cancellationToken)
    {
        var active = await GetActiveAsync(partnerId, cancellationToken);
        if (active.Count < MaxActive)
        {
            return SecretChange.WrongState;
        }
        await WriteAsync(partnerId, [active[0]], cancellationToken);
        return SecretChange.Done;
    }

    private PartnerSecret NewSecret() =>
        new("whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'), timeProvider.GetUtcNow());

    /// <summary>Writes a new owner-only file beside the old and moves it over, so a reader sees the old or the new secrets.</summary>
    private async Task WriteAsync(string partnerId, IReadOnlyList<PartnerSecret> secrets, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var document = new JsonObject
        {
            ["partner"] = partnerId,
            ["secrets"] = new JsonArray([.. secrets.Select(s => (JsonNode)new JsonObject
            {
                ["secret"] = s.Value,
                ["createdAt"] = s.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            })]),
        };
        var path = PathOf(partnerId);
        var temporary = path + ".new";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using (var stream = new FileStream(temporary, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(document.ToJsonString(Indented).AsMemory(), cancellationToken);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
