namespace Pipeline.Local.Hosting;

/// <summary>A host running only the stage dispatchers (the CLI's batch commands), with warnings and errors logged.</summary>
internal static class PipelineHosts
{
    public static IHost BuildWorkerHost(PipelineRuntime runtime)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddPipelineRuntime(runtime, builder.Configuration);
        builder.Services.AddHostedService<StageDispatchWorker>();
        return builder.Build();
    }
}
