using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Core.Http;

namespace Pipeline.Functions.Functions;

/// <summary>
/// Every public URL (<see cref="PublicRoutes"/>) as an anonymous HTTP trigger (ASP.NET Core integration, routePrefix ""),
/// each calling the same <see cref="PublicEndpoints"/> method as the embedded host's route.
/// </summary>
public sealed class PublicHttpFunctions(PublicEndpoints endpoints)
{

    [Function("Issuer")]
    public IActionResult Issuer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.Issuer)] HttpRequest request,
        string issuer) =>
        new ResultAction(endpoints.Issuer(request, issuer));

    [Function("IssuerPng")]
    public IActionResult IssuerPng(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.IssuerPng)] HttpRequest request,
        string issuer) =>
        new ResultAction(endpoints.IssuerImage(request, issuer, "png"));

    [Function("IssuerSvg")]
    public IActionResult IssuerSvg(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.IssuerSvg)] HttpRequest request,
        string issuer) =>
        new ResultAction(endpoints.IssuerImage(request, issuer, "svg"));

    [Function("IssuerDidDocument")]
    public async Task<IActionResult> IssuerDidDocumentAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.IssuerDidDocument)] HttpRequest request,
        string issuer,
        CancellationToken cancellationToken) =>
        new ResultAction(await endpoints.IssuerDidDocumentAsync(request, issuer, cancellationToken));

    [Function("IssuerJwks")]
    public async Task<IActionResult> IssuerJwksAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.IssuerJwks)] HttpRequest request,
        string issuer,
        CancellationToken cancellationToken) =>
        new ResultAction(await endpoints.IssuerJwksAsync(request, issuer, cancellationToken));

    [Function("Jwks")]
    public async Task<IActionResult> JwksAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.Jwks)] HttpRequest request,
        CancellationToken cancellationToken) =>
        new ResultAction(await endpoints.AllIssuersJwksAsync(cancellationToken));

    [Function("Achievement")]
    public IActionResult Achievement(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.Achievement)] HttpRequest request,
        string achievement) =>
        new ResultAction(endpoints.Achievement(request, achievement));

    [Function("AchievementPng")]
    public IActionResult AchievementPng(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.AchievementPng)] HttpRequest request,
        string achievement) =>
        new ResultAction(endpoints.AchievementImage(request, achievement, "png"));

    [Function("AchievementSvg")]
    public IActionResult AchievementSvg(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.AchievementSvg)] HttpRequest request,
        string achievement) =>
        new ResultAction(endpoints.AchievementImage(request, achievement, "svg"));

    [Function("Credential")]
    public async Task<IActionResult> CredentialAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.Credential)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new ResultAction(await endpoints.CredentialAsync(request, id, cancellationToken));

    [Function("CredentialJwt")]
    public async Task<IActionResult> CredentialJwtAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.CredentialJwt)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new ResultAction(await endpoints.CredentialFileAsync(request, id, "jwt", cancellationToken));

    [Function("CredentialJson")]
    public async Task<IActionResult> CredentialJsonAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.CredentialJson)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new ResultAction(await endpoints.CredentialFileAsync(request, id, "json", cancellationToken));

    [Function("CredentialPng")]
    public async Task<IActionResult> CredentialPngAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.CredentialPng)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new ResultAction(await endpoints.CredentialFileAsync(request, id, "png", cancellationToken));

    [Function("CredentialSvg")]
    public async Task<IActionResult> CredentialSvgAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.CredentialSvg)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new ResultAction(await endpoints.CredentialFileAsync(request, id, "svg", cancellationToken));

    [Function("StatusList")]
    public async Task<IActionResult> StatusListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.StatusList)] HttpRequest request,
        string issuer,
        string list,
        CancellationToken cancellationToken) =>
        new ResultAction(await endpoints.StatusListAsync(request, issuer, list, cancellationToken));

    [Function("Claim")]
    public async Task<IActionResult> ClaimAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.Claim)] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        new ResultAction(await endpoints.ClaimAsync(token, cancellationToken));

    [Function("Ob2Assertion")]
    public async Task<IActionResult> Ob2AssertionAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.Ob2Assertion)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new ResultAction(await endpoints.Ob2AssertionAsync(request, id, cancellationToken));

    [Function("Ob2AssertionPng")]
    public async Task<IActionResult> Ob2AssertionPngAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.Ob2AssertionPng)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new ResultAction(await endpoints.Ob2AssertionImageAsync(request, id, cancellationToken));

    [Function("Ob2BadgeClass")]
    public IActionResult Ob2BadgeClass(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.Ob2BadgeClass)] HttpRequest request,
        string achievement) =>
        new ResultAction(endpoints.Ob2BadgeClass(request, achievement));

    [Function("Ob2Issuer")]
    public IActionResult Ob2Issuer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.Ob2Issuer)] HttpRequest request,
        string issuer) =>
        new ResultAction(endpoints.Ob2Issuer(request, issuer));

    [Function("Health")]
    public async Task<IActionResult> HealthAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PublicRoutes.Health)] HttpRequest request,
        CancellationToken cancellationToken) =>
        new ResultAction(await endpoints.HealthAsync(request, cancellationToken));
}
