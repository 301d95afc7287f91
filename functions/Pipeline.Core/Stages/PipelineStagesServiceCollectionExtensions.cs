using Microsoft.Extensions.DependencyInjection;
using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;
using Pipeline.Core.Stages.Evaluate;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Stages.Issue;
using Pipeline.Core.Stages.Notify;
using Pipeline.Core.Status;

namespace Pipeline.Core.Stages;

/// <summary>The stage handlers and what they share, registered the same way by both hosts (design: same handlers everywhere).</summary>
public static class PipelineStagesServiceCollectionExtensions
{
    /// <summary>The handlers and the <see cref="StageDispatcher"/> over them. Expects the catalog, the <see cref="Storage.IMessageSender"/>, the ports, <see cref="IssuanceSecrets"/>, the signer's <c>VcJwt</c> and the options to be registered.</summary>
    public static IServiceCollection AddPipelineStages(this IServiceCollection services)
    {
        services.AddSingleton<PathwayEvaluator>();
        services.AddSingleton<BadgeArt>();
        services.AddSingleton(sp => new StatusListAllocator(sp.GetRequiredService<IStatusListStore>()));
        services.AddSingleton<StatusListPublisher>();
        services.AddSingleton(sp =>
        {
            var catalog = sp.GetRequiredService<PipelineCatalog>();
            return new SisIngestOptions { Maps = catalog.SisMaps, IsKnownActivity = catalog.IsPathwayActivity };
        });
        services.AddSingleton<IngestSisFileHandler>();
        services.AddSingleton<EvaluateCompletionHandler>();
        services.AddSingleton<IssueCredentialHandler>();
        services.AddSingleton<SendClaimEmailHandler>();
        services.AddSingleton<ResendClaimLinksHandler>();
        services.AddSingleton<StageHandlers>();
        services.AddSingleton<StageDispatcher>();
        return services;
    }
}
