using Pipeline.Core.Http;
using Pipeline.Core.Http.Admin;
using Pipeline.Local.Admin;

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
            .AddPipelineAdminHttp()
            .AddSingleton<IAdminAuthenticator>(sp => new AdminKeyStore(AdminKeyStore.PathIn(runtime.Paths), sp.GetRequiredService<TimeProvider>()));
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapPipelineAdminEndpoints();
        app.MapPipelineEndpoints();
        return app;
    }
}
