using Pipeline.Faults;
using Pipeline.Core.Signing;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Hosting;

/// <summary>
/// Wraps every port in its fault-injecting decorator when the <c>Faults</c> section enables it (<c>Faults:Rate</c>,
/// <c>Faults:Seed</c>, <c>Faults:DuplicateRate</c>); otherwise changes nothing. Used by the chaos test and
/// <c>chaos</c>/<c>demo --faults</c>; never on by default.
/// </summary>
internal static class FaultInjectionServiceCollectionExtensions
{
    public static IServiceCollection AddFaultInjection(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(FaultOptions.Section).Get<FaultOptions>() ?? new FaultOptions();
        System.ComponentModel.DataAnnotations.Validator.ValidateObject(options, new(options), validateAllProperties: true);
        if (!options.Enabled)
        {
            return services;
        }
        services.AddSingleton(options);
        services.AddSingleton(sp => new FaultInjector(options, sp.GetRequiredService<TimeProvider>()));
        Decorate<IBlobStore>(services, (inner, faults) => new FaultyBlobStore(inner, faults));
        Decorate<IMessageSender>(services, (inner, faults) => new FaultyMessageSender(inner, faults));
        Decorate<IEventLedger>(services, (inner, faults) => new FaultyEventLedger(inner, faults));
        Decorate<IProgressLedger>(services, (inner, faults) => new FaultyProgressLedger(inner, faults));
        Decorate<ICredentialLedger>(services, (inner, faults) => new FaultyCredentialLedger(inner, faults));
        Decorate<IClaimLedger>(services, (inner, faults) => new FaultyClaimLedger(inner, faults));
        Decorate<IAuditLog>(services, (inner, faults) => new FaultyAuditLog(inner, faults));
        Decorate<IEventPublisher>(services, (inner, faults) => new FaultyEventPublisher(inner, faults));
        Decorate<IMailer>(services, (inner, faults) => new FaultyMailer(inner, faults));
        Decorate<ISigner>(services, (inner, faults) => new FaultySigner(inner, faults));
        Decorate<IStatusListStore>(services, (inner, faults) => new FaultyStatusListStore(inner, faults));
        return services;
    }

    private static void Decorate<TService>(IServiceCollection services, Func<TService, FaultInjector, TService> wrap)
        where TService : class
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(TService))
            ?? throw new InvalidOperationException($"Fault injection decorates {typeof(TService).Name}, which is not registered: call it after the ports are added.");
        services.Remove(registered);
        services.AddSingleton(sp => wrap(Resolve<TService>(sp, registered), sp.GetRequiredService<FaultInjector>()));
    }

    private static TService Resolve<TService>(IServiceProvider services, ServiceDescriptor registered) =>
        (TService)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));
}
