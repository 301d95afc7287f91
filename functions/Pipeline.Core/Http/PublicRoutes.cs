namespace Pipeline.Core.Http;

/// <summary>
/// Route templates of the public URLs (design: Public URLs; <see cref="Catalog.PublicUrls"/> mints the same paths).
/// Without a leading slash, so the Functions app can use them as <c>[HttpTrigger(Route = …)]</c> with
/// <c>routePrefix</c> <c>""</c>; <see cref="PipelineEndpointRouteBuilderExtensions.MapPipelineEndpoints"/> maps them in the embedded host.
/// </summary>
public static class PublicRoutes
{
    public const string Issuer = "issuers/{issuer}";
    public const string IssuerPng = "issuers/{issuer}.png";
    public const string IssuerSvg = "issuers/{issuer}.svg";
    public const string IssuerDidDocument = "issuers/{issuer}/did.json";
    public const string IssuerJwks = "issuers/{issuer}/jwks.json";
    public const string Jwks = ".well-known/jwks.json";
    public const string Achievement = "achievements/{achievement}";
    public const string AchievementPng = "achievements/{achievement}.png";
    public const string AchievementSvg = "achievements/{achievement}.svg";
    public const string Credential = "credentials/{id}";
    public const string CredentialJwt = "credentials/{id}.jwt";
    public const string CredentialJson = "credentials/{id}.json";
    public const string CredentialPng = "credentials/{id}.png";
    public const string CredentialSvg = "credentials/{id}.svg";
    public const string StatusList = "status/{issuer}/{list}";
    public const string Claim = "claim/{token}";
    public const string Ob2Assertion = "ob2/assertions/{id}";
    public const string Ob2AssertionPng = "ob2/assertions/{id}.png";
    public const string Ob2BadgeClass = "ob2/badges/{achievement}";
    public const string Ob2Issuer = "ob2/issuers/{issuer}";
    public const string Health = "healthz";
}
