using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Core.Stages.Revoke;

namespace Pipeline.Core.Http.Admin;

/// <summary>
/// Registers and maps the admin API. Expects in DI what <see cref="AdminEndpoints"/> needs: an
/// <see cref="IAdminAuthenticator"/>, the ledgers, the <see cref="Pathways.PathwayEvaluator"/>, and what
/// <see cref="RevokeCredentialHandler"/> needs (status-list store, audit log, event publisher).
/// </summary>
public static class AdminHttpExtensions
{
    public static IServiceCollection AddPipelineAdminHttp(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<RevokeCredentialHandler>();
        services.TryAddScoped<AdminEndpoints>();
        return services;
    }

    public static IEndpointRouteBuilder MapPipelineAdminEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(AdminRoutes.Revoke, (HttpRequest request, string id, [FromServices] AdminEndpoints endpoints, CancellationToken cancellationToken) =>
            endpoints.RevokeAsync(request, id, cancellationToken));
        app.MapPost(AdminRoutes.BulkRevoke, (HttpRequest request, [FromServices] AdminEndpoints endpoints, CancellationToken cancellationToken) =>
            endpoints.RevokeManyAsync(request, cancellationToken));
        app.MapGet(AdminRoutes.Progress, (HttpRequest request, string learner, [FromServices] AdminEndpoints endpoints, CancellationToken cancellationToken) =>
            endpoints.ProgressAsync(request, learner, cancellationToken));
        return app;
    }
}
