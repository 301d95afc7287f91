using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Core.Http;
using Pipeline.Core.Http.Admin;

namespace Pipeline.Functions.Functions;

/// <summary>
/// The admin API (<see cref="AdminRoutes"/>) and the partner webhook receiver as HTTP triggers. Both are anonymous at
/// the Functions level: <see cref="AdminEndpoints"/> authenticates the Entra ID bearer token itself, and
/// <see cref="WebhookEndpoints"/> verifies the partner's HMAC signature.
/// </summary>
public sealed class AdminHttpFunctions(AdminEndpoints admin, WebhookEndpoints webhooks)
{
    /// <summary><see cref="WebhookEndpoints.Route"/> without its leading '/', as a Functions route.</summary>
    public const string WebhookRoute = "webhooks/{partner}";

    [Function("RevokeCredential")]
    public async Task<IActionResult> RevokeAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AdminRoutes.Revoke)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new ResultAction(await admin.RevokeAsync(request, id, cancellationToken));

    [Function("RevokeCredentials")]
    public async Task<IActionResult> RevokeManyAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AdminRoutes.BulkRevoke)] HttpRequest request,
        CancellationToken cancellationToken) =>
        new ResultAction(await admin.RevokeManyAsync(request, cancellationToken));

    [Function("LearnerProgress")]
    public async Task<IActionResult> ProgressAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AdminRoutes.Progress)] HttpRequest request,
        string learner,
        CancellationToken cancellationToken) =>
        new ResultAction(await admin.ProgressAsync(request, learner, cancellationToken));

    [Function("PartnerWebhook")]
    public async Task<IActionResult> WebhookAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = WebhookRoute)] HttpRequest request,
        string partner,
        CancellationToken cancellationToken) =>
        new ResultAction(await webhooks.ReceiveAsync(request, partner, cancellationToken));
}
