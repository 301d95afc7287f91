using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pipeline.Azure.Admin;
using Pipeline.Azure.Tests.TestData;

namespace Pipeline.Azure.Tests.Admin;

/// <summary>
/// Entra ID access tokens for the admin API, signed with a locally generated key published in a canned JWKS behind a
/// canned OpenID configuration (the recording transport answers; nothing goes to the network).
/// </summary>
public sealed class EntraAdminAuthenticatorTests : IDisposable
{
    private const string Tenant = "11111111-2222-3333-4444-555555555555";
    private const string Audience = "api://credential-pipeline-admin";
    private const string Role = "Credentials.Admin";
    private static readonly DateTimeOffset Now = new(2026, 12, 15, 12, 0, 0, TimeSpan.Zero);

    private readonly RecordingHandler _server = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _otherKey = RSA.Create(2048);

    public void Dispose()
    {
        _server.Dispose();
        _key.Dispose();
        _otherKey.Dispose();
    }

    private EntraAdminAuthenticator Authenticator() => new(
        new EntraAdminOptions { TenantId = Tenant, Audiences = [Audience], RequiredRole = Role },
        _time,
        new EntraAdminAuthenticator.EntraClientOptions { Transport = _server.Transport, Retry = { MaxRetries = 0 } });

    private void PublishKeys()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.ExportParameters(false)) { KeyId = "entra-key-1" });
        _server.Respond(HttpStatusCode.OK, $$"""{"issuer":"https://login.microsoftonline.com/{{Tenant}}/v2.0","jwks_uri":"https://login.microsoftonline.com/{{Tenant}}/discovery/v2.0/keys"}""")
            .Respond(HttpStatusCode.OK, $$"""{"keys":[{"kty":"RSA","use":"sig","kid":"entra-key-1","n":"{{jwk.N}}","e":"{{jwk.E}}"}]}""");
    }

    private string Token(
        RSA? key = null, string issuer = $"https://login.microsoftonline.com/{Tenant}/v2.0", string audience = Audience,
        string[]? roles = null, DateTimeOffset? expires = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["oid"] = "9f0c7c3e-0000-4000-8000-000000000001",
            ["preferred_username"] = "registrar@maine.example.edu",
            ["roles"] = roles ?? [Role],
        };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = (Now - TimeSpan.FromMinutes(1)).UtcDateTime,
            NotBefore = (Now - TimeSpan.FromMinutes(1)).UtcDateTime,
            Expires = (expires ?? Now + TimeSpan.FromHours(1)).UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? _key) { KeyId = "entra-key-1" }, SecurityAlgorithms.RsaSha256),
        });
    }

    [Fact]
    public async Task A_token_of_the_tenant_for_the_audience_with_the_role_authenticates_as_its_user()
    {
        PublishKeys();
        using var authenticator = Authenticator();

        var actor = await authenticator.AuthenticateAsync(Token(), CancellationToken.None);

        Assert.Equal("entra:registrar@maine.example.edu(9f0c7c3e-0000-4000-8000-000000000001)", actor);
        Assert.Equal(
            [$"https://login.microsoftonline.com/{Tenant}/v2.0/.well-known/openid-configuration", $"https://login.microsoftonline.com/{Tenant}/discovery/v2.0/keys"],
            _server.Requests.Select(r => r.Uri.AbsoluteUri));
    }

    [Fact]
    public async Task A_v1_token_of_the_tenant_authenticates_too()
    {
        PublishKeys();
        using var authenticator = Authenticator();

        Assert.NotNull(await authenticator.AuthenticateAsync(Token(issuer: $"https://sts.windows.net/{Tenant}/"), CancellationToken.None));
    }

    public static TheoryData<string> Refusals() => new() { "no role", "other role", "other audience", "other tenant", "expired", "other key", "not a JWT" };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Tokens_that_fail_any_check_are_refused(string refusal)
    {
        PublishKeys();
        using var authenticator = Authenticator();
        var token = refusal switch
        {
            "no role" => Token(roles: []),
            "other role" => Token(roles: ["Credentials.Read"]),
            "other audience" => Token(audience: "api://something-else"),
            "other tenant" => Token(issuer: "https://login.microsoftonline.com/99999999-2222-3333-4444-555555555555/v2.0"),
            "expired" => Token(expires: Now - TimeSpan.FromMinutes(6)),
            "other key" => Token(key: _otherKey),
            _ => "not-a-jwt",
        };

        Assert.Null(await authenticator.AuthenticateAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task Keys_are_fetched_once_and_reused()
    {
        PublishKeys();
        using var authenticator = Authenticator();

        await authenticator.AuthenticateAsync(Token(), CancellationToken.None);
        await authenticator.AuthenticateAsync(Token(), CancellationToken.None);

        Assert.Equal(2, _server.Requests.Count);
    }
}
