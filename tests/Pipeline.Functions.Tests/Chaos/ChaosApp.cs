using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Azure.Storage;
using Pipeline.Core.Catalog;
using Pipeline.Faults;
using Pipeline.Core.Signing;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;
using Pipeline.Functions.Hosting;

namespace Pipeline.Functions.Tests.Chaos;

/// <summary>
/// One life of the Functions app: its services composed exactly as <c>Program.cs</c> composes them
/// (<see cref="AzurePipelineServiceCollectionExtensions.AddAzurePipeline"/>) on Azurite, with the three services that
/// cannot run here swapped — Key Vault for a local JWK signer, Communication Services for
/// <see cref="ChaosMailService"/>, Service Bus for <see cref="ChaosTopic"/> — and, when faults are on, every port
/// wrapped in its fault-injecting decorator (the swapped ones included).
/// </summary>
internal sealed class ChaosApp : IAsyncDisposable
{
    private ChaosApp(ServiceProvider services, FaultInjector? faults, ChaosWorld world, ChaosMailService mail, ChaosTopic topic)
    {
        Services = services;
        Faults = faults;
        World = world;
        Mail = mail;
        Topic = topic;
    }

    public ServiceProvider Services { get; }

    public FaultInjector? Faults { get; }

    public ChaosWorld World { get; }

    public ChaosMailService Mail { get; }

    public ChaosTopic Topic { get; }

    public static async Task<ChaosApp> StartAsync(string connectionString, string keyFolder, FaultOptions? faults, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AzurePipelineServiceCollectionExtensions.StorageConnection] = connectionString,
            ["Pipeline:CatalogFolder"] = "catalog",
            ["Pipeline:SubjectIdSecret"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            ["Pipeline:KeyVaultUri"] = "https://unused.vault.azure.net/",
            ["Pipeline:ServiceBusNamespace"] = "unused.servicebus.windows.net",
            ["Pipeline:AcsEndpoint"] = "https://unused.communication.azure.com/",
            ["Pipeline:AdminTenantId"] = "11111111-2222-3333-4444-555555555555",
            ["Pipeline:AdminAudience"] = "api://credential-pipeline-admin",
        }).Build();
        var world = new ChaosWorld(new BlobServiceClient(connectionString), new QueueServiceClient(connectionString, AzureQueueSender.ClientOptions()));
        var mail = new ChaosMailService(world);
        var topic = new ChaosTopic(world);
        var signer = new LocalJwkSigner(keyFolder);
        var collection = new ServiceCollection().AddLogging().AddAzurePipeline(configuration)
            .AddSingleton<ISigner>(signer)
            .AddSingleton<IMailer>(mail)
            .AddSingleton<IEventPublisher>(topic);
        FaultInjector? injector = null;
        if (faults is { Enabled: true })
        {
            injector = new FaultInjector(faults, TimeProvider.System);
            AddFaults(collection, injector);
        }
        var services = collection.BuildServiceProvider();
        foreach (var issuer in services.GetRequiredService<PipelineCatalog>().Issuers.Values)
        {
            await signer.EnsureKeyAsync(issuer.Key, cancellationToken);
        }
        // What the host does at start: run the hosted services (StorageInitializer creates what is missing).
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(cancellationToken);
        }
        await world.EnsureCreatedAsync(cancellationToken);
        return new ChaosApp(services, injector, world, mail, topic);
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();

    public static FaultOptions FaultOptions(double rate, int seed) => new()
    {
        Rate = rate,
        Seed = seed,
        MaxSlowDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryAfter = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>Every port in its decorator, as <c>Faults:Rate</c> does in the embedded host.</summary>
    private static void AddFaults(IServiceCollection services, FaultInjector faults)
    {
        Decorate<IBlobStore>(services, inner => new FaultyBlobStore(inner, faults));
        Decorate<IMessageSender>(services, inner => new FaultyMessageSender(inner, faults));
        Decorate<IEventLedger>(services, inner => new FaultyEventLedger(inner, faults));
        Decorate<IProgressLedger>(services, inner => new FaultyProgressLedger(inner, faults));
        Decorate<ICredentialLedger>(services, inner => new FaultyCredentialLedger(inner, faults));
        Decorate<IClaimLedger>(services, inner => new FaultyClaimLedger(inner, faults));
        Decorate<IAuditLog>(services, inner => new FaultyAuditLog(inner, faults));
        Decorate<IEventPublisher>(services, inner => new FaultyEventPublisher(inner, faults));
        Decorate<IMailer>(services, inner => new FaultyMailer(inner, faults));
        Decorate<ISigner>(services, inner => new FaultySigner(inner, faults));
        Decorate<IStatusListStore>(services, inner => new FaultyStatusListStore(inner, faults));
    }

    private static void Decorate<TService>(IServiceCollection services, Func<TService, TService> wrap)
        where TService : class
    {
        var registered = services.Last(d => d.ServiceType == typeof(TService));
        services.Remove(registered);
        services.AddSingleton(sp => wrap((TService)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!))));
    }
}
