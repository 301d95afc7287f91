using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Pipeline.Azure.Http;
using Pipeline.Azure.KeyVault;
using Pipeline.Core.Stages.Webhooks;

namespace Pipeline.Azure.Webhooks;

/// <summary>
/// <see cref="IPartnerSecrets"/> on Key Vault secrets (REST on Azure.Core, api-version 7.5, bearer token for
/// <c>https://vault.azure.net/.default</c>): a partner's webhook secret is the secret <c>webhook-{partner}</c>, and every
/// enabled version of it is active, so a rotation is "set a new version, hand it to the partner, disable the old version
/// once they switched". The list is read with <c>GET /secrets/{name}/versions</c> (following <c>nextLink</c>), then each
/// enabled version's value with <c>GET /secrets/{name}/{version}</c>; an unknown partner (404) has no secrets. Results
/// are cached for <see cref="CacheFor"/> per partner, so a disabled version stops verifying within that time.
/// </summary>
public sealed class KeyVaultPartnerSecrets : IPartnerSecrets
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private const string Scope = "https://vault.azure.net/.default";

    private readonly Uri _vault;
    private readonly HttpPipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (DateTimeOffset ExpiresAt, IReadOnlyList<PartnerSecret> Secrets)> _cache = new(StringComparer.Ordinal);

    public KeyVaultPartnerSecrets(Uri vault, TokenCredential credential, TimeProvider timeProvider, KeyVaultSignerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _vault = vault;
        _time = timeProvider;
        _pipeline = HttpPipelineBuilder.Build(options ?? new KeyVaultSignerOptions(), new BearerTokenAuthenticationPolicy(credential, Scope));
    }

    /// <summary>The Key Vault secret name of a partner's webhook secret.</summary>
    public static string SecretName(string partnerId) => "webhook-" + partnerId;

    public async Task<IReadOnlyList<PartnerSecret>> GetActiveAsync(string partnerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partnerId);
        // Key Vault secret names: 1-127 letters, digits and '-'. Anything else cannot name a secret, so it has none.
        if (partnerId.Length is 0 or > 100 || !partnerId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return [];
        }
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(partnerId, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Secrets;
        }
        var secrets = await LoadAsync(SecretName(partnerId), cancellationToken);
        _cache[partnerId] = (now + CacheFor, secrets);
        return secrets;
    }

    private async Task<IReadOnlyList<PartnerSecret>> LoadAsync(string name, CancellationToken cancellationToken)
    {
        var versions = new List<Uri>();
        Uri? next = Url($"/secrets/{name}/versions");
        while (next is not null)
        {
            using var message = ServiceError.Json(_pipeline, RequestMethod.Get, next, null);
            await _pipeline.SendAsync(message, cancellationToken);
            if (message.Response.Status == 404)
            {
                return [];
            }
            ServiceError.ThrowUnless(message.Response, $"Key Vault list versions of secret {name}", 200);
            using var page = JsonDocument.Parse(message.Response.Content);
            foreach (var item in page.RootElement.GetProperty("value").EnumerateArray())
            {
                if (item.TryGetProperty("attributes", out var attributes) && attributes.TryGetProperty("enabled", out var enabled) && enabled.GetBoolean())
                {
                    versions.Add(new Uri(item.GetProperty("id").GetString()!));
                }
            }
            next = page.RootElement.TryGetProperty("nextLink", out var link) && link.GetString() is { Length: > 0 } nextLink ? new Uri(nextLink) : null;
        }
        var secrets = new List<PartnerSecret>();
        foreach (var version in versions)
        {
            using var message = ServiceError.Json(_pipeline, RequestMethod.Get, Url(version.AbsolutePath), null);
            await _pipeline.SendAsync(message, cancellationToken);
            ServiceError.ThrowUnless(message.Response, $"Key Vault get secret {version.AbsolutePath}", 200);
            using var secret = JsonDocument.Parse(message.Response.Content);
            var created = secret.RootElement.GetProperty("attributes").GetProperty("created").GetInt64();
            secrets.Add(new PartnerSecret(secret.RootElement.GetProperty("value").GetString()!, DateTimeOffset.FromUnixTimeSeconds(created)));
        }
        return [.. secrets.OrderByDescending(s => s.CreatedAt)];
    }

    private Uri Url(string path)
    {
        var builder = new RequestUriBuilder();
        builder.Reset(_vault);
        builder.AppendPath(path, escape: false);
        builder.AppendQuery("api-version", KeyVaultSignerOptions.ApiVersion);
        return builder.ToUri();
    }
}
