namespace Pipeline.Local.Hosting;

/// <summary>A host running only the stage dispatchers (the CLI's batch commands), with warnings and errors logged.</summary>
internal static class PipelineHosts
{
    /// <param name="configure">Runs before the pipeline's services are added, so configuration it adds decides them.</param>
    public static IHost BuildWorkerHost(PipelineRuntime runtime, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        configure?.Invoke(builder);
        builder.Services.AddPipelineRuntime(runtime, builder.Configuration);
        builder.Services.AddHostedService<StageDispatchWorker>();
        return builder.Build();
    }
}
