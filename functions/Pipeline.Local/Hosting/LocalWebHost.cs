using Pipeline.Core.Http;
using Pipeline.Local.Webhooks;

namespace Pipeline.Local.Hosting;

/// <summary>The embedded host: the pipeline's workers and every public URL of the design on one ASP.NET Core server.</summary>
internal static class LocalWebHost
{
    public const string DefaultUrl = "http://localhost:5080";

    public static WebApplication Build(PipelineRuntime runtime, string urls, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(urls);
        builder.Services
            .AddPipelineRuntime(runtime, builder.Configuration)
            .AddPipelineWorkers()
            .AddPipelineHttp()
            .AddLocalWebhooks(builder.Configuration);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseRateLimiter();
        app.MapWebhookEndpoints().RequireRateLimiting(WebhookServiceCollectionExtensions.RateLimitPolicy);
        app.MapPipelineEndpoints();
        return app;
    }
}
