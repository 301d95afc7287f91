namespace Pipeline.Local.Hosting;

/// <summary>A host running only the stage dispatchers (the CLI's batch commands), with warnings and errors logged.</summary>
internal static class PipelineHosts
{
    /// <param name="configure">Runs before the pipeline's services are added, so configuration it adds (e.g.
    /// <c>Faults:Rate</c>, <c>Pipeline:Mail</c>) decides them.</param>
    /// <param name="watchInbox">Also ingest what lands in <c>sis-inbox</c> and publish status lists (the chaos worker).</param>
    public static IHost BuildWorkerHost(PipelineRuntime runtime, Action<HostApplicationBuilder>? configure = null, bool watchInbox = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // appsettings.json's Logging:LogLevel:Default (Information, for serve) would otherwise win over the minimum
        // level: a rule added later with the same specificity takes precedence. Information lines per message were
        // a large share of a bench run's wall time (console logging is synchronous).
        builder.Logging.AddFilter(category: null, LogLevel.Warning);
        // The console lifetime's "Application started. Press Ctrl+C to shut down." and "Content root path: …" are
        // Information lines that appsettings.json's Microsoft.Hosting.Lifetime entry lets through; a one-shot
        // command prints its own progress and summary, and they would land in the middle of it.
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        configure?.Invoke(builder);
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
