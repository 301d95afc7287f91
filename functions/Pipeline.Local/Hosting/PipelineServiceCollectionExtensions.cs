using Microsoft.Extensions.Options;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http;
using Pipeline.Core.Http.Verify;
using Pipeline.Core.Mail;
using Pipeline.Core.Signing;
using Pipeline.Core.Stages;
using Pipeline.Core.Stages.Notify;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;
using Pipeline.Core.Verification;
using Pipeline.Local.Mail;
using Pipeline.Local.Storage;

namespace Pipeline.Local.Hosting;

/// <summary>The embedded host's composition, one method per area (Program.cs reads like a table of contents).</summary>
internal static class PipelineServiceCollectionExtensions
{
    public static IServiceCollection AddPipelineRuntime(this IServiceCollection services, PipelineRuntime runtime, IConfiguration configuration)
    {
        services.AddSingleton(runtime.Paths);
        services.AddSingleton(runtime.Catalog);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<LocalPipelineOptions>().Bind(configuration.GetSection(LocalPipelineOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ClaimEmailOptions>().Bind(configuration.GetSection(ClaimEmailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StatusListOptions>().Bind(configuration.GetSection(StatusListOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<StatusListOptions>>().Value);
        return services
            .AddPipelineStorage(runtime)
            .AddSigning(runtime)
            .AddStages()
            .AddMail(configuration)
            .AddFaultInjection(configuration);
    }

    public static IServiceCollection AddPipelineStorage(this IServiceCollection services, PipelineRuntime runtime)
    {
        services.AddSingleton(runtime.Database);
        services.AddSingleton<SqliteQueue>();
        services.AddSingleton<IMessageSender>(sp => sp.GetRequiredService<SqliteQueue>());
        services.AddSingleton<IBlobStore>(new FolderBlobStore(runtime.Paths.Blobs));
        services.AddSingleton<IEventLedger, SqliteEventLedger>();
        services.AddSingleton<IProgressLedger, SqliteProgressLedger>();
        services.AddSingleton<SqliteCredentialLedger>();
        services.AddSingleton<ICredentialLedger>(sp => sp.GetRequiredService<SqliteCredentialLedger>());
        services.AddSingleton<IClaimLedger, SqliteClaimLedger>();
        services.AddSingleton<IAuditLog, SqliteAuditLog>();
        services.AddSingleton<SqliteEventPublisher>();
        services.AddSingleton<IEventPublisher>(sp => sp.GetRequiredService<SqliteEventPublisher>());
        services.AddSingleton<IStatusListStore, SqliteStatusListStore>();
        return services;
    }

    public static IServiceCollection AddSigning(this IServiceCollection services, PipelineRuntime runtime)
    {
        services.AddSingleton<ISigner>(runtime.Signer);
        services.AddSingleton(runtime.Secrets);
        services.AddSingleton<VcJwt>();
        return services;
    }

    public static IServiceCollection AddStages(this IServiceCollection services)
    {
        services.AddPipelineStages();
        services.AddSingleton<StageMetrics>();
        services.AddSingleton<StageRouter>();
        return services;
    }

    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<MimeEmailComposer>();
        var delivery = configuration.GetSection(LocalPipelineOptions.Section).Get<LocalPipelineOptions>()?.Mail ?? MailDelivery.Outbox;
        if (delivery == MailDelivery.Smtp)
        {
            services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
            services.AddSingleton<IMailer, SmtpMailer>();
        }
        else
        {
            services.AddSingleton<IMailer>(sp => new OutboxMailer(sp.GetRequiredService<LocalPaths>().Outbox, sp.GetRequiredService<MimeEmailComposer>()));
        }
        return services;
    }

    /// <summary>
    /// The public endpoints (<see cref="PipelineHttpServiceCollectionExtensions.AddPipelineHttp"/>) with a verifier whose
    /// fetcher also reaches this host's own public URLs when they are loopback http (the demo's
    /// <c>http://localhost:5080</c>), so OB 2.0 hosted verification of our own assertions works on the embedded host.
    /// Only those origins: the SSRF rules stand for every other address, and the Azure app trusts no loopback origin.
    /// </summary>
    public static IServiceCollection AddLocalHttp(this IServiceCollection services, PipelineRuntime runtime)
    {
        services.AddSingleton(sp => SafeHttpFetcher.TrustingLoopbackOrigins(sp.GetRequiredService<TimeProvider>(), runtime.Catalog.Issuers.Values.Select(i => i.Urls.Base)));
        return services.AddPipelineHttp();
    }

    /// <summary>The background work of a running pipeline: a dispatcher per queue, the SIS inbox watcher, status-list publishing.</summary>
    public static IServiceCollection AddPipelineWorkers(this IServiceCollection services)
    {
        services.AddHostedService<StageDispatchWorker>();
        services.AddHostedService<SisInboxWatcher>();
        services.AddHostedService<StatusListPublishWorker>();
        return services;
    }
}
