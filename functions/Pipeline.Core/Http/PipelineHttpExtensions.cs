using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Http;

/// <summary>
/// Registers the public endpoint logic. Expects in DI: <see cref="Catalog.PipelineCatalog"/>, <see cref="Storage.IBlobStore"/>,
/// <see cref="Storage.ICredentialLedger"/>, <see cref="Storage.IClaimLedger"/>, <see cref="Storage.IProgressLedger"/>,
/// <see cref="Signing.ISigner"/>, <see cref="Storage.IAuditLog"/>, <see cref="Storage.IMessageSender"/> and logging; adds <see cref="TimeProvider.System"/> when no <see cref="TimeProvider"/> is registered.
/// </summary>
public static class PipelineHttpServiceCollectionExtensions
{
    public static IServiceCollection AddPipelineHttp(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IssuerKeys>();
        services.TryAddScoped<StatusListChecker>();
        services.TryAddScoped<LocalCredentialVerifier>();
        services.TryAddSingleton<CredentialVerificationCache>();
        services.TryAddScoped<PublicEndpoints>();
        services.TryAddSingleton<Verification.SafeHttpFetcher>();
        services.TryAddScoped<Verify.VerifyEndpoints>();
        services.AddOptions<ClaimLinks.NewClaimLinkOptions>().BindConfiguration(ClaimLinks.NewClaimLinkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ClaimLinks.NewClaimLinkLimiter>();
        services.TryAddScoped<ClaimLinks.NewClaimLinkEndpoint>();
        return services;
    }
}

/// <summary>Maps every public URL (<see cref="PublicRoutes"/>) to <see cref="PublicEndpoints"/> for GET and HEAD, plus a 404 fallback (any method).</summary>
public static class PipelineEndpointRouteBuilderExtensions
{
    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapPipelineEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGetAndHead(PublicRoutes.Issuer, (HttpRequest request, string issuer, [FromServices] PublicEndpoints endpoints) => endpoints.Issuer(request, issuer));
        app.MapGetAndHead(PublicRoutes.IssuerPng, (HttpRequest request, string issuer, [FromServices] PublicEndpoints endpoints) => endpoints.IssuerImage(request, issuer, "png"));
        app.MapGetAndHead(PublicRoutes.IssuerSvg, (HttpRequest request, string issuer, [FromServices] PublicEndpoints endpoints) => endpoints.IssuerImage(request, issuer, "svg"));
        app.MapGetAndHead(PublicRoutes.IssuerDidDocument, (HttpRequest request, string issuer, [FromServices] PublicEndpoints endpoints, CancellationToken cancellationToken) =>
            endpoints.IssuerDidDocumentAsync(request, issuer, cancellationToken));
        app.MapGetAndHead(PublicRoutes.IssuerJwks, (HttpRequest request, string issuer, [FromServices] PublicEndpoints endpoints, CancellationToken cancellationToken) =>
            endpoints.IssuerJwksAsync(request, issuer, cancellationToken));
        app.MapGetAndHead(PublicRoutes.Jwks, ([FromServices] PublicEndpoints endpoints, CancellationToken cancellationToken) => endpoints.AllIssuersJwksAsync(cancellationToken));
        app.MapGetAndHead(PublicRoutes.Achievement, (HttpRequest request, string achievement, [FromServices] PublicEndpoints endpoints) => endpoints.Achievement(request, achievement));
        app.MapGetAndHead(PublicRoutes.AchievementPng, (HttpRequest request, string achievement, [FromServices] PublicEndpoints endpoints) =>
            endpoints.AchievementImage(request, achievement, "png"));
        app.MapGetAndHead(PublicRoutes.AchievementSvg, (HttpRequest request, string achievement, [FromServices] PublicEndpoints endpoints) =>
            endpoints.AchievementImage(request, achievement, "svg"));
        app.MapGetAndHead(PublicRoutes.Credential, (HttpRequest request, string id, [FromServices] PublicEndpoints endpoints, CancellationToken cancellationToken) =>
            endpoints.CredentialAsync(request, id, cancellationToken));
        MapCredentialFile(app, PublicRoutes.CredentialJwt, "jwt");
        MapCredentialFile(app, PublicRoutes.CredentialJson, "json");
        MapCredentialFile(app, PublicRoutes.CredentialPng, "png");
        MapCredentialFile(app, PublicRoutes.CredentialSvg, "svg");
        app.MapGetAndHead(PublicRoutes.StatusList, (HttpRequest request, string issuer, string list, [FromServices] PublicEndpoints endpoints, CancellationToken cancellationToken) =>
            endpoints.StatusListAsync(request, issuer, list, cancellationToken));
        app.MapGetAndHead(PublicRoutes.Claim, (string token, [FromServices] PublicEndpoints endpoints, CancellationToken cancellationToken) =>
            endpoints.ClaimAsync(token, cancellationToken));
        app.MapGetAndHead(PublicRoutes.Ob2Assertion, (HttpRequest request, string id, [FromServices] PublicEndpoints endpoints, CancellationToken cancellationToken) =>
            endpoints.Ob2AssertionAsync(request, id, cancellationToken));
        app.MapGetAndHead(PublicRoutes.Ob2AssertionPng, (HttpRequest request, string id, [FromServices] PublicEndpoints endpoints, CancellationToken cancellationToken) =>
            endpoints.Ob2AssertionImageAsync(request, id, cancellationToken));
        app.MapGetAndHead(PublicRoutes.Ob2BadgeClass, (HttpRequest request, string achievement, [FromServices] PublicEndpoints endpoints) => endpoints.Ob2BadgeClass(request, achievement));
        app.MapGetAndHead(PublicRoutes.Ob2Issuer, (HttpRequest request, string issuer, [FromServices] PublicEndpoints endpoints) => endpoints.Ob2Issuer(request, issuer));
        app.MapGetAndHead(PublicRoutes.Health, (HttpRequest request, [FromServices] PublicEndpoints endpoints, CancellationToken cancellationToken) =>
            endpoints.HealthAsync(request, cancellationToken));
        app.MapPost(Verify.VerifyRoutes.Api, (HttpRequest request, [FromServices] Verify.VerifyEndpoints endpoints, CancellationToken cancellationToken) =>
            endpoints.VerifyApiAsync(request, cancellationToken));
        app.MapPost(Verify.VerifyRoutes.Page, (HttpRequest request, [FromServices] Verify.VerifyEndpoints endpoints, CancellationToken cancellationToken) =>
            endpoints.VerifyPageAsync(request, cancellationToken));
        app.MapPost(ClaimLinks.NewClaimLinkEndpoint.Route, (HttpRequest request, [FromServices] ClaimLinks.NewClaimLinkEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.RequestAsync(request, cancellationToken));
        app.MapGetAndHead(OpenApi.OpenApiDocument.Route, OpenApi.OpenApiDocument.Get);
        app.MapFallback("{*path}", PublicEndpoints.NotFound);
        return app;
    }

    /// <summary>
    /// A public GET route that answers HEAD too, with the same status and headers and no body (Kestrel and the test
    /// server drop the body of a HEAD response): link checkers, caches and backpacks probe badge URLs with HEAD.
    /// </summary>
    private static RouteHandlerBuilder MapGetAndHead(this IEndpointRouteBuilder app, string pattern, Delegate handler) =>
        app.MapMethods(pattern, GetAndHead, handler);

    private static void MapCredentialFile(IEndpointRouteBuilder app, string route, string extension) =>
        app.MapGetAndHead(route, (HttpRequest request, string id, [FromServices] PublicEndpoints endpoints, CancellationToken cancellationToken) =>
            endpoints.CredentialFileAsync(request, id, extension, cancellationToken));
}
