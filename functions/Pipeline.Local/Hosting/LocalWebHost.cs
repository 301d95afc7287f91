using Pipeline.Core.Http;
using Pipeline.Core.Http.Admin;
using Pipeline.Local.Admin;
using Pipeline.Local.Webhooks;

namespace Pipeline.Local.Hosting;

/// <summary>The embedded host: the pipeline's workers and every public URL of the design on one ASP.NET Core server.</summary>
internal static class LocalWebHost
{
    public const string DefaultUrl = "http://localhost:5080";

    /// <param name="configure">Runs before the pipeline's services are added, so configuration it adds (such as
    /// <c>Pipeline:Mail</c>) decides them; it can also swap the server (the ASP.NET test server).</param>
    public static WebApplication Build(PipelineRuntime runtime, string urls, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(urls);
        // No "Server: Kestrel" header: it tells a caller nothing it needs and an attacker which server to aim at.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        configure?.Invoke(builder);
        builder.Services
            .AddPipelineRuntime(runtime, builder.Configuration)
            .AddPipelineWorkers()
            .AddLocalHttp(runtime)
            .AddLocalWebhooks(builder.Configuration)
            .AddHttpLimits(builder.Configuration)
            .AddPipelineAdminHttp()
            .AddSingleton<IAdminAuthenticator>(sp => new AdminKeyStore(AdminKeyStore.PathIn(runtime.Paths), sp.GetRequiredService<TimeProvider>()));
        var app = builder.Build();
        app.UseBodySizeProblems();
        app.UseRateLimiter();
        app.MapWebhookEndpoints().RequireRateLimiting(WebhookServiceCollectionExtensions.RateLimitPolicy);
        app.MapPipelineAdminEndpoints();
        app.MapPipelineEndpoints();
        return app;
    }
}
