using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Azure.Tests.TestData;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;
using Pipeline.Functions.Functions;
using Pipeline.Functions.Hosting;

namespace Pipeline.Functions.Tests;

/// <summary>
/// The queue functions invoked with the message bodies the host delivers, composed exactly as the app composes them
/// (<see cref="AzurePipelineServiceCollectionExtensions.AddAzurePipeline"/>) over Azurite and the sample catalog.
/// </summary>
[Collection(AzuriteQueues.Name)]
public sealed class StageFunctionTests
{
    private static async Task<ServiceProvider> AppServicesAsync(string tablePrefix)
    {
        var azurite = await Azurite.GetAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Pipeline:CatalogFolder"] = "catalog",
            ["Pipeline:TablePrefix"] = tablePrefix,
            ["Pipeline:SubjectIdSecret"] = Convert.ToBase64String(new byte[32]),
            ["Pipeline:KeyVaultUri"] = "https://unused.vault.azure.net/",
            ["Pipeline:ServiceBusNamespace"] = "unused.servicebus.windows.net",
            ["Pipeline:AcsEndpoint"] = "https://unused.communication.azure.com/",
            ["Pipeline:AdminTenantId"] = "11111111-2222-3333-4444-555555555555",
            ["Pipeline:AdminAudience"] = "api://credential-pipeline-admin",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddAzurePipeline(configuration).BuildServiceProvider();
        await services.GetRequiredService<Pipeline.Azure.Storage.PipelineTables>().EnsureCreatedAsync(CancellationToken.None);
        return services;
    }

    private static string CompletionBody(string activityId) => StageMessages.ToCompletions(new RecordCompletion
    {
        CorrelationId = $"corr-{activityId}",
        Completion = new CompletionEvent
        {
            Source = "queue",
            LearnerId = "S7001",
            ActivityId = activityId,
            CompletedAt = new DateTimeOffset(2026, 12, 14, 9, 0, 0, TimeSpan.FromHours(-5)),
            Outcome = CompletionOutcome.Passed,
            Grade = "A",
        },
        Learner = new LearnerProfile { LearnerId = "S7001", Email = "grace@example.edu", GivenName = "Grace" },
    }).Body;

    [Fact]
    public async Task Evaluate_of_the_third_required_course_queues_issuance_and_a_redelivery_queues_the_same_credential_again()
    {
        await using var services = await AppServicesAsync("fn" + Guid.NewGuid().ToString("N")[..10]);
        var issuance = services.GetRequiredService<global::Azure.Storage.Queues.QueueServiceClient>().GetQueueClient(Queues.Issuance);
        await issuance.CreateIfNotExistsAsync();
        await issuance.ClearMessagesAsync();
        var functions = ActivatorUtilities.CreateInstance<StageFunctions>(services);

        foreach (var course in new[] { "COS140", "COS250", "COS330" })
        {
            await functions.EvaluateAsync(CompletionBody(course), CancellationToken.None);
        }
        await functions.EvaluateAsync(CompletionBody("COS330"), CancellationToken.None);

        var issues = (await issuance.ReceiveMessagesAsync(32)).Value.Select(m => StageMessages.DecodeIssueCredential(m.Body.ToString())).ToList();
        Assert.Equal(2, issues.Count);
        Assert.All(issues, issue => Assert.Equal(
            ("umaine-cybersecurity-foundations", "S7001", issues[0].CredentialId, 3),
            (issue.AchievementId, issue.LearnerId, issue.CredentialId, issue.EvidenceEventIds.Count)));
    }

    [Fact]
    public async Task Evaluate_with_a_malformed_body_faults_so_the_host_retries_and_poisons_it()
    {
        await using var services = await AppServicesAsync("fn" + Guid.NewGuid().ToString("N")[..10]);
        var functions = ActivatorUtilities.CreateInstance<StageFunctions>(services);

        await Assert.ThrowsAsync<InvalidMessageException>(() => functions.EvaluateAsync("{\"schemaVersion\":1}", CancellationToken.None));
    }
}
