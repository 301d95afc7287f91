namespace Pipeline.Local.Hosting;

/// <summary>A host running only the stage dispatchers (the CLI's batch commands), with warnings and errors logged.</summary>
internal static class PipelineHosts
{
    public static IHost BuildWorkerHost(PipelineRuntime runtime) => BuildWorkerHost(runtime, [], watchInbox: false);

    /// <summary>
    /// A worker host with extra settings (e.g. <c>Faults:Rate</c>) over the usual configuration; with
    /// <paramref name="watchInbox"/>, it also ingests what lands in <c>sis-inbox</c> and publishes status lists.
    /// </summary>
    public static IHost BuildWorkerHost(PipelineRuntime runtime, IEnumerable<KeyValuePair<string, string?>> settings, bool watchInbox)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddPipelineRuntime(runtime, builder.Configuration);
        if (watchInbox)
        {
            builder.Services.AddPipelineWorkers();
        }
        else
        {
            builder.Services.AddHostedService<StageDispatchWorker>();
        }
        return builder.Build();
    }
}
