using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pipeline.Azure.Http;
using Pipeline.Core.Http.Admin;

namespace Pipeline.Azure.Admin;

/// <summary>Settings of <see cref="EntraAdminAuthenticator"/>.</summary>
public sealed class EntraAdminOptions
{
    /// <summary>The Entra ID tenant (directory) id whose tokens are accepted.</summary>
    public required string TenantId { get; init; }

    /// <summary>The accepted <c>aud</c> values: the admin API's application (client) id and/or its App ID URI (<c>api://…</c>).</summary>
    public required IReadOnlyList<string> Audiences { get; init; }

    /// <summary>The app role a caller must hold (the <c>roles</c> claim), for users and for daemon apps alike.</summary>
    public string RequiredRole { get; init; } = "Credentials.Admin";

    /// <summary>The Entra ID authority host.</summary>
    public Uri Authority { get; init; } = new("https://login.microsoftonline.com/");
}

/// <summary>
/// <see cref="IAdminAuthenticator"/> for Entra ID access tokens: an RS256 JWT signed by a key of the tenant's JWKS
/// (found through its OpenID configuration, <c>{authority}/{tenant}/v2.0/.well-known/openid-configuration</c>), issued
/// by the tenant (v2.0 <c>login.microsoftonline.com/{tenant}/v2.0</c> or v1.0 <c>sts.windows.net/{tenant}/</c>), for one
/// of <see cref="EntraAdminOptions.Audiences"/>, within its lifetime (5 minutes' skew), holding
/// <see cref="EntraAdminOptions.RequiredRole"/>. The actor recorded in the audit log is
/// <c>entra:{name}({object id})</c>. Keys are cached for a day; a token whose kid is unknown refreshes them at most
/// every 5 minutes (Entra rolls its signing keys without notice).
/// </summary>
public sealed class EntraAdminAuthenticator : IAdminAuthenticator, IDisposable
{
    public static readonly TimeSpan KeysCacheFor = TimeSpan.FromDays(1);
    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromMinutes(5);

    private readonly EntraAdminOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpPipeline _pipeline;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (DateTimeOffset LoadedAt, IReadOnlyList<JsonWebKey> Keys)? _keys;

    public EntraAdminAuthenticator(EntraAdminOptions options, TimeProvider timeProvider, ClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.Audiences.Count == 0)
        {
            throw new ArgumentException("Entra admin authentication: at least one audience is required.", nameof(options));
        }
        _options = options;
        _time = timeProvider;
        _pipeline = HttpPipelineBuilder.Build(clientOptions ?? new EntraClientOptions());
    }

    public async ValueTask<string?> AuthenticateAsync(string bearerToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(bearerToken) || !_handler.CanReadToken(bearerToken))
        {
            return null;
        }
        var kid = _handler.ReadJsonWebToken(bearerToken).Kid;
        var keys = await KeysAsync(kid, cancellationToken);
        var result = await _handler.ValidateTokenAsync(bearerToken, new TokenValidationParameters
        {
            ValidIssuers = [$"https://login.microsoftonline.com/{_options.TenantId}/v2.0", $"https://sts.windows.net/{_options.TenantId}/"],
            ValidAudiences = _options.Audiences,
            IssuerSigningKeys = keys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            LifetimeValidator = (notBefore, expires, _, _) => WithinLifetime(notBefore, expires),
        });
        if (!result.IsValid)
        {
            return null;
        }
        var token = (JsonWebToken)result.SecurityToken;
        var roles = token.Claims.Where(c => c.Type == "roles").Select(c => c.Value);
        if (!roles.Contains(_options.RequiredRole, StringComparer.Ordinal))
        {
            return null;
        }
        var objectId = Claim(token, "oid") ?? token.Subject;
        var name = Claim(token, "preferred_username") ?? Claim(token, "upn") ?? Claim(token, "azp") ?? Claim(token, "appid") ?? objectId;
        return $"entra:{name}({objectId})";
    }

    public void Dispose() => _refresh.Dispose();

    /// <summary>Now (this authenticator's clock) within [nbf − 5 min, exp + 5 min]; a token without exp is refused.</summary>
    private bool WithinLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var skew = TimeSpan.FromMinutes(5);
        return expires is { } exp && now <= exp + skew && (notBefore is not { } nbf || now >= nbf - skew);
    }

    private static string? Claim(JsonWebToken token, string type) =>
        token.TryGetPayloadValue<string>(type, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private async Task<IReadOnlyList<JsonWebKey>> KeysAsync(string? kid, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_keys is { } cached && now - cached.LoadedAt < KeysCacheFor &&
            (kid is null || cached.Keys.Any(k => k.Kid == kid) || now - cached.LoadedAt < MinRefreshInterval))
        {
            return cached.Keys;
        }
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_keys is { } again && again.LoadedAt > now - MinRefreshInterval)
            {
                return again.Keys;
            }
            var configuration = await GetJsonAsync(new Uri(_options.Authority, $"{_options.TenantId}/v2.0/.well-known/openid-configuration"), "Entra OpenID configuration", cancellationToken);
            var jwksUri = new Uri(configuration.RootElement.GetProperty("jwks_uri").GetString()!);
            configuration.Dispose();
            using var jwks = await GetJsonAsync(jwksUri, "Entra JWKS", cancellationToken);
            IReadOnlyList<JsonWebKey> keys = [.. new JsonWebKeySet(jwks.RootElement.GetRawText()).Keys.Where(k => k.Kty == "RSA")];
            _keys = (now, keys);
            return keys;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<JsonDocument> GetJsonAsync(Uri uri, string what, CancellationToken cancellationToken)
    {
        using var message = ServiceError.Json(_pipeline, RequestMethod.Get, uri, null);
        await _pipeline.SendAsync(message, cancellationToken);
        ServiceError.ThrowUnless(message.Response, $"GET {what} {uri}", 200);
        return JsonDocument.Parse(message.Response.Content);
    }

    /// <summary>Azure.Core client options for the OpenID configuration and JWKS requests (retries, transport).</summary>
    public sealed class EntraClientOptions : ClientOptions;
}
