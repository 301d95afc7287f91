using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Azure.Admin;
using Pipeline.Azure.Email;
using Pipeline.Azure.Events;
using Pipeline.Azure.KeyVault;
using Pipeline.Azure.Storage;
using Pipeline.Azure.Webhooks;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http;
using Pipeline.Core.Http.Admin;
using Pipeline.Core.Mail;
using Pipeline.Core.Signing;
using Pipeline.Core.Stages;
using Pipeline.Core.Stages.Issue;
using Pipeline.Core.Stages.Notify;
using Pipeline.Core.Stages.Webhooks;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;

namespace Pipeline.Functions.Hosting;

/// <summary>The Functions app's composition: the same stage handlers and public endpoints as the embedded host, on the Azure adapters.</summary>
public static class AzurePipelineServiceCollectionExtensions
{
    /// <summary>The app setting of the storage connection the triggers and the adapters share.</summary>
    public const string StorageConnection = "AzureWebJobsStorage";

    public static IServiceCollection AddAzurePipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<AzurePipelineOptions>().Bind(configuration.GetSection(AzurePipelineOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ClaimEmailOptions>().Bind(configuration.GetSection(ClaimEmailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StatusListOptions>().Bind(configuration.GetSection(StatusListOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<StatusListOptions>>().Value);
        services.AddSingleton(sp => CatalogLoader.Load(Path.Combine(AppContext.BaseDirectory, sp.GetRequiredService<IOptions<AzurePipelineOptions>>().Value.CatalogFolder)).GetCatalogOrThrow());
        services.AddSingleton<TokenCredential>(_ => new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = configuration["AZURE_CLIENT_ID"],
        }));
        return services
            .AddAzureStorage(configuration)
            .AddAzureServices()
            .AddAzureMail(configuration)
            .AddStages()
            .AddPipelineHttp()
            .AddAdminAndWebhooks();
    }

    /// <summary>The admin API (Entra ID bearer tokens) and the partner webhooks (secrets in Key Vault).</summary>
    public static IServiceCollection AddAdminAndWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<IAdminAuthenticator>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AzurePipelineOptions>>().Value;
            return new EntraAdminAuthenticator(
                new EntraAdminOptions { TenantId = options.AdminTenantId, Audiences = [options.AdminAudience], RequiredRole = options.AdminRole },
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IPartnerSecrets>(sp => new KeyVaultPartnerSecrets(
            sp.GetRequiredService<IOptions<AzurePipelineOptions>>().Value.KeyVaultUri!, sp.GetRequiredService<TokenCredential>(), sp.GetRequiredService<TimeProvider>()));
        return services.AddPipelineAdminHttp().AddPipelineWebhooks();
    }

    public static IServiceCollection AddAzureStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var storage = StorageEndpoints.From(configuration, StorageConnection);
        services.AddSingleton(sp => storage.Blobs(sp.GetRequiredService<TokenCredential>()));
        services.AddSingleton(sp => storage.Queues(sp.GetRequiredService<TokenCredential>(), AzureQueueSender.ClientOptions()));
        services.AddSingleton(sp => storage.Tables(sp.GetRequiredService<TokenCredential>()));
        services.AddSingleton(sp => PipelineTables.Open(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IOptions<AzurePipelineOptions>>().Value.TablePrefix));
        services.AddSingleton<IBlobStore>(sp => new AzureBlobStore(sp.GetRequiredService<BlobServiceClient>()));
        services.AddSingleton<IMessageSender>(sp => new AzureQueueSender(sp.GetRequiredService<QueueServiceClient>()));
        services.AddSingleton<IEventLedger>(sp => new TableEventLedger(sp.GetRequiredService<PipelineTables>().Events));
        services.AddSingleton<IProgressLedger>(sp => new TableProgressLedger(sp.GetRequiredService<PipelineTables>().Progress));
        services.AddSingleton<ICredentialLedger>(sp =>
        {
            var tables = sp.GetRequiredService<PipelineTables>();
            return new TableCredentialLedger(tables.Credentials, tables.CredentialsByLearner);
        });
        services.AddSingleton<IClaimLedger>(sp =>
        {
            var tables = sp.GetRequiredService<PipelineTables>();
            return new TableClaimLedger(tables.Claims, tables.ClaimTokens);
        });
        services.AddSingleton<IAuditLog>(sp => new TableAuditLog(sp.GetRequiredService<PipelineTables>().Audit));
        services.AddSingleton<IStatusListStore>(sp => new TableStatusListStore(sp.GetRequiredService<PipelineTables>().StatusLists));
        services.AddHostedService<StorageInitializer>();
        return services;
    }

    public static IServiceCollection AddAzureServices(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AzurePipelineOptions>>().Value;
            return new ServiceBusClient(options.ServiceBusNamespace, sp.GetRequiredService<TokenCredential>());
        });
        services.AddSingleton<IEventPublisher>(sp => new ServiceBusEventPublisher(
            sp.GetRequiredService<ServiceBusClient>().CreateSender(sp.GetRequiredService<IOptions<AzurePipelineOptions>>().Value.EventsTopic)));
        services.AddSingleton<ISigner>(sp => new KeyVaultSigner(
            sp.GetRequiredService<IOptions<AzurePipelineOptions>>().Value.KeyVaultUri!, sp.GetRequiredService<TokenCredential>()));
        services.AddSingleton(sp => new IssuanceSecrets(Convert.FromBase64String(sp.GetRequiredService<IOptions<AzurePipelineOptions>>().Value.SubjectIdSecret)));
        services.AddSingleton<VcJwt>();
        return services;
    }

    /// <summary>
    /// The mailer <c>Pipeline__Mail</c> names: Communication Services (the default), paced to
    /// <c>Pipeline__AcsMessagesPerMinute</c> / <c>Pipeline__AcsMessagesPerHour</c>, or the institution's SMTP relay
    /// with the <c>Smtp__*</c> settings, validated at start.
    /// </summary>
    public static IServiceCollection AddAzureMail(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var delivery = configuration.GetSection(AzurePipelineOptions.Section).Get<AzurePipelineOptions>()?.Mail ?? AzureMailDelivery.Acs;
        if (delivery == AzureMailDelivery.Smtp)
        {
            services.AddSingleton<MimeEmailComposer>();
            services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
            services.AddSingleton<IMailer, SmtpMailer>();
            return services;
        }
        services.AddSingleton<IMailer>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AzurePipelineOptions>>().Value;
            return new AcsEmailMailer(options.AcsEndpoint!, sp.GetRequiredService<TokenCredential>(), new AcsEmailMailerOptions
            {
                Clock = sp.GetRequiredService<TimeProvider>(),
                MessagesPerMinute = options.AcsMessagesPerMinute,
                MessagesPerHour = options.AcsMessagesPerHour,
            });
        });
        return services;
    }

    public static IServiceCollection AddStages(this IServiceCollection services)
    {
        services.AddPipelineStages();
        services.AddSingleton<StageRunner>();
        return services;
    }
}
