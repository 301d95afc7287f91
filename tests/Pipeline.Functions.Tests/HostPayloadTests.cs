using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pipeline.Azure.Admin;
using Pipeline.Azure.Storage;
using Pipeline.Azure.Tests.TestData;
using Pipeline.Azure.Webhooks;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Http.Admin;
using Pipeline.Core.Pathways;
using Pipeline.Core.Signing;
using Pipeline.Core.Stages.Webhooks;
using Pipeline.Core.Storage;
using Pipeline.Functions.Functions;
using Pipeline.Functions.Hosting;

namespace Pipeline.Functions.Tests;

/// <summary>
/// Issue and IngestSisFile invoked with what the host delivers — the Issue queue message as Evaluate queued it, and the
/// blob an Event Grid <c>BlobCreated</c> event names — composed as the app composes them over Azurite. Key Vault and
/// Service Bus are the only parts swapped: a local JWK signer and a recording event publisher.
/// </summary>
[Collection(AzuriteQueues.Name)]
public sealed class HostPayloadTests : IDisposable
{
    private const string Tenant = "11111111-2222-3333-4444-555555555555";
    private static readonly string[] AdminRoles = ["Credentials.Admin"];
    private static readonly DateTimeOffset AdminTokenTime = new(2026, 12, 15, 12, 0, 0, TimeSpan.Zero);
    private readonly string keyFolder = Path.Combine(Path.GetTempPath(), "fn-keys-" + Guid.NewGuid().ToString("N"));
    private readonly RecordingHandler entra = new();
    private readonly RecordingHandler keyVault = new();
    private readonly RSA entraKey = RSA.Create(2048);

    public void Dispose()
    {
        entra.Dispose();
        keyVault.Dispose();
        entraKey.Dispose();
        if (Directory.Exists(keyFolder))
        {
            Directory.Delete(keyFolder, recursive: true);
        }
    }

    private async Task<(ServiceProvider Services, RecordingEvents Events)> AppServicesAsync(IMailer? mailer = null)
    {
        var azurite = await Azurite.GetAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Pipeline:CatalogFolder"] = "catalog",
            ["Pipeline:TablePrefix"] = "fn" + Guid.NewGuid().ToString("N")[..10],
            ["Pipeline:SubjectIdSecret"] = Convert.ToBase64String(new byte[32]),
            ["Pipeline:KeyVaultUri"] = "https://unused.vault.azure.net/",
            ["Pipeline:ServiceBusNamespace"] = "unused.servicebus.windows.net",
            ["Pipeline:AcsEndpoint"] = "https://unused.communication.azure.com/",
            ["Pipeline:AdminTenantId"] = "11111111-2222-3333-4444-555555555555",
            ["Pipeline:AdminAudience"] = "api://credential-pipeline-admin",
        }).Build();
        var events = new RecordingEvents();
        var signer = new LocalJwkSigner(keyFolder);
        var collection = new ServiceCollection().AddLogging().AddAzurePipeline(configuration);
        if (mailer is not null)
        {
            collection.AddSingleton(mailer);
        }
        var services = collection
            .AddSingleton<ISigner>(signer)
            .AddSingleton<IEventPublisher>(events)
            .AddSingleton<IAdminAuthenticator>(sp => new EntraAdminAuthenticator(
                new EntraAdminOptions { TenantId = Tenant, Audiences = ["api://credential-pipeline-admin"] },
                new Microsoft.Extensions.Time.Testing.FakeTimeProvider(AdminTokenTime),
                new EntraAdminAuthenticator.EntraClientOptions { Transport = entra.Transport }))
            .AddSingleton<IPartnerSecrets>(new KeyVaultPartnerSecrets(
                new Uri("https://umaine-kv.vault.azure.net/"), new StaticTokenCredential("token-1"), TimeProvider.System,
                new Pipeline.Azure.KeyVault.KeyVaultSignerOptions { Transport = keyVault.Transport }))
            .BuildServiceProvider();
        foreach (var issuer in services.GetRequiredService<PipelineCatalog>().Issuers.Values)
        {
            await signer.EnsureKeyAsync(issuer.Key, CancellationToken.None);
        }
        await services.GetRequiredService<PipelineTables>().EnsureCreatedAsync(CancellationToken.None);
        foreach (var queue in new[] { Queues.Issuance, Queues.Emails, Queues.Completions })
        {
            var client = services.GetRequiredService<global::Azure.Storage.Queues.QueueServiceClient>().GetQueueClient(queue);
            await client.CreateIfNotExistsAsync();
            await client.ClearMessagesAsync();
        }
        foreach (var container in new[] { Containers.SisInbox, Containers.SisProcessed, Containers.SisReports, Containers.Credentials, Containers.Public })
        {
            await services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(container).CreateIfNotExistsAsync();
        }
        return (services, events);
    }

    [Fact]
    public async Task Issue_with_the_message_Evaluate_queued_signs_stores_the_credential_queues_the_email_and_publishes_CredentialIssued()
    {
        var (services, events) = await AppServicesAsync();
        await using var _ = services;
        var queues = services.GetRequiredService<global::Azure.Storage.Queues.QueueServiceClient>();
        var functions = ActivatorUtilities.CreateInstance<StageFunctions>(services);
        var learner = "I" + Guid.NewGuid().ToString("N")[..8];
        foreach (var course in new[] { "COS140", "COS250", "COS330" })
        {
            await functions.EvaluateAsync(CompletionBody(learner, course), CancellationToken.None);
        }
        var issueBody = Assert.Single((await queues.GetQueueClient(Queues.Issuance).ReceiveMessagesAsync(32)).Value).Body.ToString();
        var issue = StageMessages.DecodeIssueCredential(issueBody);

        await functions.IssueAsync(issueBody, CancellationToken.None);

        var credentials = services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(Containers.Credentials);
        Assert.True((await credentials.GetBlobClient(BlobNames.CredentialFile(issue.CredentialId, "jwt")).ExistsAsync()).Value);
        var email = StageMessages.DecodeSendClaimEmail(Assert.Single((await queues.GetQueueClient(Queues.Emails).ReceiveMessagesAsync(32)).Value).Body.ToString());
        Assert.Equal(issue.CredentialId, email.CredentialId);
        var issued = Assert.IsType<CredentialIssued>(Assert.Single(events.Published));
        Assert.Equal((issue.CredentialId, learner, "umaine-cybersecurity-foundations"), (issued.CredentialId, issued.LearnerId, issued.AchievementId));
    }

    [Fact]
    public async Task A_throttled_Notify_puts_its_message_back_with_the_retry_after_as_delay_and_succeeds()
    {
        var (services, _) = await AppServicesAsync(new ThrottledMailer(TimeSpan.FromSeconds(90)));
        await using var _ = services;
        var queues = services.GetRequiredService<global::Azure.Storage.Queues.QueueServiceClient>();
        var functions = ActivatorUtilities.CreateInstance<StageFunctions>(services);
        var learner = "T" + Guid.NewGuid().ToString("N")[..8];
        foreach (var course in new[] { "COS140", "COS250", "COS330" })
        {
            await functions.EvaluateAsync(CompletionBody(learner, course), CancellationToken.None);
        }
        await functions.IssueAsync(Assert.Single((await queues.GetQueueClient(Queues.Issuance).ReceiveMessagesAsync(32)).Value).Body.ToString(), CancellationToken.None);
        var emails = queues.GetQueueClient(Queues.Emails);
        var emailBody = Assert.Single((await emails.ReceiveMessagesAsync(32)).Value).Body.ToString();

        await functions.NotifyAsync(emailBody, CancellationToken.None);

        Assert.Empty((await emails.PeekMessagesAsync(32)).Value);
        Assert.Equal(2, (await emails.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    /// <summary>A mail service whose quota is used up: every send is a 429 with Retry-After.</summary>
    private sealed class ThrottledMailer(TimeSpan retryAfter) : IMailer
    {
        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken) =>
            throw new Pipeline.Core.Storage.ThrottledException("quota used up", 429, retryAfter);
    }

    [Fact]
    public async Task RevokeCredential_with_an_Entra_admin_token_revokes_an_issued_credential_and_publishes_CredentialRevoked()
    {
        var (services, events) = await AppServicesAsync();
        await using var _ = services;
        var queues = services.GetRequiredService<global::Azure.Storage.Queues.QueueServiceClient>();
        var stages = ActivatorUtilities.CreateInstance<StageFunctions>(services);
        var learner = "R" + Guid.NewGuid().ToString("N")[..8];
        foreach (var course in new[] { "COS140", "COS250", "COS330" })
        {
            await stages.EvaluateAsync(CompletionBody(learner, course), CancellationToken.None);
        }
        var issueBody = Assert.Single((await queues.GetQueueClient(Queues.Issuance).ReceiveMessagesAsync(32)).Value).Body.ToString();
        await stages.IssueAsync(issueBody, CancellationToken.None);
        var credentialId = StageMessages.DecodeIssueCredential(issueBody).CredentialId;
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(entraKey.ExportParameters(false)) { KeyId = "k1" });
        entra.Respond(HttpStatusCode.OK, $$"""{"jwks_uri":"https://login.microsoftonline.com/{{Tenant}}/discovery/v2.0/keys"}""")
            .Respond(HttpStatusCode.OK, $$"""{"keys":[{"kty":"RSA","kid":"k1","n":"{{jwk.N}}","e":"{{jwk.E}}"}]}""");
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.Path = $"/api/credentials/{credentialId}/revoke";
        context.Request.Headers.Authorization = "Bearer " + AdminToken();
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("""{"reason":"Issued in error"}"""));
        context.Response.Body = new MemoryStream();
        using var scope = services.CreateScope();
        var functions = ActivatorUtilities.CreateInstance<AdminHttpFunctions>(scope.ServiceProvider);

        var result = await functions.RevokeAsync(context.Request, credentialId, CancellationToken.None);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        var revoked = Assert.IsType<CredentialRevoked>(events.Published[^1]);
        Assert.Equal((credentialId, "entra:registrar@maine.example.edu(oid-1)"), (revoked.CredentialId, revoked.Actor));
        var credential = await services.GetRequiredService<ICredentialLedger>().GetAsync(credentialId, CancellationToken.None);
        Assert.NotNull(credential?.RevokedAt);
    }

    [Fact]
    public async Task PartnerWebhook_signed_with_the_partners_Key_Vault_secret_queues_the_completion()
    {
        var (services, _) = await AppServicesAsync();
        await using var _ = services;
        const string Secret = "northwind-webhook-secret";
        keyVault.Respond(HttpStatusCode.OK, """{"value":[{"id":"https://umaine-kv.vault.azure.net/secrets/webhook-northwind-bootcamp/v1","attributes":{"enabled":true,"created":1765000000}}]}""")
            .Respond(HttpStatusCode.OK, $$$"""{"value":"{{{Secret}}}","attributes":{"enabled":true,"created":1765000000}}""");
        var learner = "W" + Guid.NewGuid().ToString("N")[..8];
        var completedAt = TimeProvider.System.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var body = Encoding.UTF8.GetBytes($$$"""
            {"version": 1, "completions": [{"learner": {"id": "{{{learner}}}", "email": "{{{learner}}}@example.edu"}, "activityId": "nw-data-foundations", "completedAt": "{{{completedAt}}}", "outcome": "passed"}]}
            """);
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.Path = "/webhooks/northwind-bootcamp";
        context.Request.ContentType = "application/json";
        context.Request.Headers[WebhookSignature.TimestampHeader] = timestamp;
        context.Request.Headers[WebhookSignature.SignatureHeader] = WebhookSignature.Compute(Secret, timestamp, body);
        context.Request.Body = new MemoryStream(body);
        context.Response.Body = new MemoryStream();
        using var scope = services.CreateScope();
        var functions = ActivatorUtilities.CreateInstance<AdminHttpFunctions>(scope.ServiceProvider);

        var result = await functions.WebhookAsync(context.Request, "northwind-bootcamp", CancellationToken.None);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("/secrets/webhook-northwind-bootcamp/versions", keyVault.Requests[0].Uri.AbsolutePath);
        var completions = services.GetRequiredService<global::Azure.Storage.Queues.QueueServiceClient>().GetQueueClient(Queues.Completions);
        var queued = StageMessages.DecodeRecordCompletion(Assert.Single((await completions.ReceiveMessagesAsync(32)).Value).Body.ToString()).Completion;
        Assert.Equal((learner, "DAT101"), (queued.LearnerId, queued.ActivityId));
    }

    private string AdminToken() => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = $"https://login.microsoftonline.com/{Tenant}/v2.0",
        Audience = "api://credential-pipeline-admin",
        Claims = new Dictionary<string, object> { ["oid"] = "oid-1", ["preferred_username"] = "registrar@maine.example.edu", ["roles"] = AdminRoles },
        IssuedAt = AdminTokenTime.UtcDateTime,
        NotBefore = AdminTokenTime.UtcDateTime,
        Expires = AdminTokenTime.AddHours(1).UtcDateTime,
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(entraKey) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
    });

    [Fact]
    public async Task IngestSisFile_for_the_blob_an_Event_Grid_BlobCreated_event_names_queues_completions_and_moves_the_file()
    {
        var (services, _) = await AppServicesAsync();
        await using var __ = services;
        var blobs = services.GetRequiredService<BlobServiceClient>();
        var name = $"generic-{Guid.NewGuid():N}.csv";
        var inbox = blobs.GetBlobContainerClient(Containers.SisInbox).GetBlobClient(name);
        // The generic map's columns (samples/sis/generic-2025FA.csv), with the sample catalog's pathway courses.
        await inbox.UploadAsync(BinaryData.FromString(
            "learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score\n" +
            "S8001,ada.lovelace@example.edu,Ada,Lovelace,COS140,2025-12-10,passed,A,95\n" +
            "S8001,ada.lovelace@example.edu,Ada,Lovelace,COS250,2025-12-11,passed,B+,88.5\n" +
            "S8002,grace.hopper@example.edu,Grace,Hopper,COS140,2025-12-11,passed,A-,91\n" +
            "S8003,alan.turing@example.edu,Alan,Turing,HIST110,2025-12-12,passed,B,84\n"));
        var blobCreated = BlobCreatedEvent(inbox.Uri, name);
        // The host binds the trigger from the event: the blob at data.url, {name} from the subject after the container.
        var url = new Uri((string)blobCreated["data"]!["url"]!);
        var subject = (string)blobCreated["subject"]!;
        var boundName = subject[(subject.IndexOf($"/containers/{Containers.SisInbox}/blobs/", StringComparison.Ordinal) + $"/containers/{Containers.SisInbox}/blobs/".Length)..];
        var functions = ActivatorUtilities.CreateInstance<StageFunctions>(services);

        await functions.IngestSisFileAsync(blobs.GetBlobContainerClient(Containers.SisInbox).GetBlobClient(new BlobUriBuilder(url).BlobName), boundName, CancellationToken.None);

        Assert.False((await inbox.ExistsAsync()).Value);
        Assert.True((await blobs.GetBlobContainerClient(Containers.SisProcessed).GetBlobClient(name).ExistsAsync()).Value);
        var report = JsonNode.Parse((await blobs.GetBlobContainerClient(Containers.SisReports).GetBlobClient(BlobNames.SisReport(name)).DownloadContentAsync()).Value.Content.ToString())!;
        Assert.Equal((3, 1), ((int)report["summary"]!["counts"]!["accepted"]!, (int)report["summary"]!["counts"]!["ignored"]!));
        var completions = services.GetRequiredService<global::Azure.Storage.Queues.QueueServiceClient>().GetQueueClient(Queues.Completions);
        var queued = (await completions.ReceiveMessagesAsync(32)).Value.Select(m => StageMessages.DecodeRecordCompletion(m.Body.ToString()).Completion).ToList();
        Assert.Equal(["S8001/COS140", "S8001/COS250", "S8002/COS140"], queued.Select(c => $"{c.LearnerId}/{c.ActivityId}").Order(StringComparer.Ordinal));
    }

    /// <summary>A <c>Microsoft.Storage.BlobCreated</c> event in the Event Grid schema, as the storage account sends it.</summary>
    private static JsonObject BlobCreatedEvent(Uri blob, string name) => new()
    {
        ["topic"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-badges/providers/Microsoft.Storage/storageAccounts/devstoreaccount1",
        ["subject"] = $"/blobServices/default/containers/{Containers.SisInbox}/blobs/{name}",
        ["eventType"] = "Microsoft.Storage.BlobCreated",
        ["id"] = Guid.NewGuid().ToString(),
        ["eventTime"] = "2026-12-15T02:00:00.0000000Z",
        ["dataVersion"] = "",
        ["metadataVersion"] = "1",
        ["data"] = new JsonObject
        {
            ["api"] = "PutBlob",
            ["contentType"] = "application/octet-stream",
            ["blobType"] = "BlockBlob",
            ["url"] = blob.ToString(),
            ["sequencer"] = "00000000000000000000000000000000000000000000000000",
        },
    };

    private static string CompletionBody(string learner, string activityId) => StageMessages.ToCompletions(new RecordCompletion
    {
        CorrelationId = $"corr-{learner}-{activityId}",
        Completion = new CompletionEvent
        {
            Source = "queue",
            LearnerId = learner,
            ActivityId = activityId,
            CompletedAt = new DateTimeOffset(2026, 12, 14, 9, 0, 0, TimeSpan.FromHours(-5)),
            Outcome = CompletionOutcome.Passed,
            Grade = "A",
        },
        Learner = new LearnerProfile { LearnerId = learner, Email = "grace@example.edu", GivenName = "Grace" },
    }).Body;

    private sealed class RecordingEvents : IEventPublisher
    {
        private readonly List<IntegrationEvent> published = [];

        public IReadOnlyList<IntegrationEvent> Published
        {
            get
            {
                lock (published)
                {
                    return [.. published];
                }
            }
        }

        public Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken)
        {
            lock (published)
            {
                published.Add(integrationEvent);
            }
            return Task.CompletedTask;
        }
    }
}
