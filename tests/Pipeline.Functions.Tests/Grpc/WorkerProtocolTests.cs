using System.Net;
using Google.Protobuf;
using Pipeline.Azure.Storage;
using Pipeline.Azure.Tests.TestData;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;
using Pipeline.Functions.Tests.Grpc.Messages;

namespace Pipeline.Functions.Tests.Grpc;

/// <summary>
/// The built worker (<c>functions/Pipeline.Functions/bin/…/Pipeline.Functions.dll</c>) driven over the Functions RPC
/// protocol the way the host drives it, against Azurite: start stream, init, worker-indexed metadata, load, then a queue
/// trigger invocation and an HTTP trigger invocation. HTTP goes the way the host sends it to a worker that uses the
/// ASP.NET Core integration: the worker announces its own Kestrel address in the <c>HttpUri</c> capability, the host
/// sends the InvocationRequest over gRPC and forwards the HTTP request to that address with the invocation id in
/// <c>x-ms-invocation-id</c>; the worker joins the two and answers on the HTTP connection.
/// </summary>
[Collection(AzuriteQueues.Name)]
public sealed class WorkerProtocolTests
{
    private const string HostVersion = "4.1040.0";

    [Fact]
    public async Task Worker_started_by_a_gRPC_host_loads_its_functions_and_runs_a_queue_trigger_and_an_HTTP_trigger()
    {
        var azurite = await Azurite.GetAsync();
        var prefix = "grpc" + Guid.NewGuid().ToString("N")[..10];
        var learner = "G" + Guid.NewGuid().ToString("N")[..8];
        var issuance = azurite.Queues().GetQueueClient(Queues.Issuance);
        await issuance.CreateIfNotExistsAsync();
        await issuance.ClearMessagesAsync();
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Pipeline__CatalogFolder"] = "catalog",
            ["Pipeline__TablePrefix"] = prefix,
            ["Pipeline__SubjectIdSecret"] = Convert.ToBase64String(new byte[32]),
            ["Pipeline__KeyVaultUri"] = "https://unused.vault.azure.net/",
            ["Pipeline__ServiceBusNamespace"] = "unused.servicebus.windows.net",
            ["Pipeline__AcsEndpoint"] = "https://unused.communication.azure.com/",
            ["Pipeline__AdminTenantId"] = "11111111-2222-3333-4444-555555555555",
            ["Pipeline__AdminAudience"] = "api://credential-pipeline-admin",
        };
        await using var host = await TestFunctionsHost.StartAsync(FunctionsOutput.Folder, settings);

        var startStream = await host.WaitForStartStreamAsync();
        Assert.Equal(host.WorkerId, startStream.WorkerId);

        var init = (await host.RequestAsync(
            new StreamingMessage
            {
                RequestId = "init",
                WorkerInitRequest = new WorkerInitRequest
                {
                    HostVersion = HostVersion,
                    WorkerDirectory = FunctionsOutput.Folder,
                    FunctionAppDirectory = FunctionsOutput.Folder,
                },
            },
            m => m.ContentCase == StreamingMessage.ContentOneofCase.WorkerInitResponse)).WorkerInitResponse;
        Assert.True(init.Result.Status == StatusResult.Types.Status.Success, $"{init.Result.Exception?.Message}\n{host.Log}");
        Assert.True(init.Capabilities.TryGetValue("HttpUri", out var httpUri), $"No HttpUri capability in {init.Capabilities}");

        var metadata = (await host.RequestAsync(
            new StreamingMessage { RequestId = "metadata", FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = FunctionsOutput.Folder } },
            m => m.ContentCase == StreamingMessage.ContentOneofCase.FunctionMetadataResponse)).FunctionMetadataResponse;
        Assert.True(metadata.Result.Status == StatusResult.Types.Status.Success, $"{metadata.Result.Exception?.Message}\n{host.Log}");
        Assert.False(metadata.UseDefaultMetadataIndexing);
        var functions = metadata.FunctionMetadataResults.ToDictionary(f => f.Name, StringComparer.Ordinal);
        Assert.Contains("Evaluate", functions.Keys);
        Assert.Contains("Health", functions.Keys);

        foreach (var function in new[] { functions["Evaluate"], functions["Health"], functions["Issuer"] })
        {
            await LoadAsync(host, function);
        }

        foreach (var course in new[] { "COS140", "COS250", "COS330" })
        {
            var response = await InvokeAsync(host, functions["Evaluate"], QueueTriggerInput(CompletionBody(learner, course)));
            Assert.True(response.Result.Status == StatusResult.Types.Status.Success, $"{response.Result.Exception?.Message}\n{host.Log}");
        }
        var tables = PipelineTables.Open(azurite.Tables(), prefix);
        var events = await tables.Events.QueryAsync<global::Azure.Data.Tables.TableEntity>(e => e.PartitionKey == learner).ToListAsync();
        Assert.Equal(3, events.Count);
        var issued = (await issuance.ReceiveMessagesAsync(32)).Value
            .Select(m => StageMessages.DecodeIssueCredential(m.Body.ToString()))
            .Where(m => m.LearnerId == learner)
            .ToList();
        Assert.Equal(("umaine-cybersecurity-foundations", 3), (Assert.Single(issued).AchievementId, issued[0].EvidenceEventIds.Count));

        var (healthStatus, health) = await HttpAsync(host, functions["Health"], httpUri, "healthz", new Dictionary<string, string>());
        Assert.Equal((HttpStatusCode.OK, "{\"status\":\"ok\"}"), (healthStatus, health));
        var (issuerStatus, issuer) = await HttpAsync(host, functions["Issuer"], httpUri, "issuers/umaine", new Dictionary<string, string> { ["issuer"] = "umaine" });
        Assert.Equal(HttpStatusCode.OK, issuerStatus);
        Assert.EndsWith("/issuers/umaine", (string)System.Text.Json.Nodes.JsonNode.Parse(issuer)!["id"]!, StringComparison.Ordinal);
    }

    /// <summary>
    /// An HTTP trigger the way the host runs it on a worker with ASP.NET Core integration: the InvocationRequest over gRPC
    /// and, at the same time, the HTTP request forwarded to the worker's <c>HttpUri</c> with <c>x-ms-invocation-id</c>.
    /// </summary>
    private static async Task<(HttpStatusCode Status, string Body)> HttpAsync(
        TestFunctionsHost host, RpcFunctionMetadata function, string httpUri, string path, IReadOnlyDictionary<string, string> routeValues)
    {
        var invocationId = Guid.NewGuid().ToString();
        var url = new Uri(new Uri(httpUri), path);
        var invocation = InvokeAsync(host, function, HttpTriggerInput(function, url, routeValues), invocationId);
        using var client = new HttpClient { Timeout = TestFunctionsHost.Timeout };
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, url);
        forwarded.Headers.Add("x-ms-invocation-id", invocationId);
        using var http = await client.SendAsync(forwarded);
        var body = await http.Content.ReadAsStringAsync();
        var response = await invocation;
        Assert.True(response.Result.Status == StatusResult.Types.Status.Success, $"{function.Name}: {response.Result.Exception?.Message}\n{host.Log}");
        return (http.StatusCode, body);
    }

    private static async Task LoadAsync(TestFunctionsHost host, RpcFunctionMetadata function)
    {
        var loaded = function.Clone();
        foreach (var (name, info) in function.RawBindings.Select(TestFunctionsHost.ToBindingInfo))
        {
            loaded.Bindings[name] = info;
        }
        if (string.IsNullOrEmpty(loaded.Directory))
        {
            loaded.Directory = FunctionsOutput.Folder;
        }
        var response = (await host.RequestAsync(
            new StreamingMessage { RequestId = $"load-{function.Name}", FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = loaded } },
            m => m.ContentCase == StreamingMessage.ContentOneofCase.FunctionLoadResponse && m.FunctionLoadResponse.FunctionId == function.FunctionId)).FunctionLoadResponse;
        Assert.True(response.Result.Status == StatusResult.Types.Status.Success, $"{function.Name}: {response.Result.Exception?.Message}\n{host.Log}");
    }

    private static async Task<InvocationResponse> InvokeAsync(
        TestFunctionsHost host, RpcFunctionMetadata function, (IEnumerable<ParameterBinding> Inputs, IDictionary<string, TypedData> TriggerMetadata) input, string? invocationId = null)
    {
        var id = invocationId ?? Guid.NewGuid().ToString();
        var request = new InvocationRequest
        {
            InvocationId = id,
            FunctionId = function.FunctionId,
            TraceContext = new RpcTraceContext { TraceParent = $"00-{Guid.NewGuid():N}-{Guid.NewGuid().ToString("N")[..16]}-01" },
            RetryContext = new RetryContext { RetryCount = 0, MaxRetryCount = 0 },
        };
        request.InputData.Add(input.Inputs);
        request.TriggerMetadata.Add(input.TriggerMetadata);
        return (await host.RequestAsync(
            new StreamingMessage { RequestId = $"invoke-{id}", InvocationRequest = request },
            m => m.ContentCase == StreamingMessage.ContentOneofCase.InvocationResponse && m.InvocationResponse.InvocationId == id)).InvocationResponse;
    }

    /// <summary>What the host sends for a queue trigger bound to a string: the message text, and the message's properties as trigger metadata.</summary>
    private static (IEnumerable<ParameterBinding>, IDictionary<string, TypedData>) QueueTriggerInput(string body)
    {
        var inserted = new DateTimeOffset(2026, 12, 14, 14, 0, 0, TimeSpan.Zero);
        var metadata = new Dictionary<string, TypedData>
        {
            ["QueueTrigger"] = new() { String = body },
            ["DequeueCount"] = new() { Json = "1" },
            ["Id"] = new() { String = Guid.NewGuid().ToString() },
            ["PopReceipt"] = new() { String = "AgAAAAMAAAAAAAAA" },
            ["InsertionTime"] = new() { Json = $"\"{inserted:O}\"" },
            ["ExpirationTime"] = new() { Json = $"\"{inserted.AddDays(7):O}\"" },
            ["NextVisibleTime"] = new() { Json = $"\"{inserted.AddSeconds(30):O}\"" },
        };
        return ([new ParameterBinding { Name = "body", Data = new TypedData { String = body } }], metadata);
    }

    /// <summary>
    /// What the host sends for an HTTP trigger: the request as RpcHttp (the forwarded request carries the body), and the
    /// route values, query and headers as trigger metadata.
    /// </summary>
    private static (IEnumerable<ParameterBinding>, IDictionary<string, TypedData>) HttpTriggerInput(
        RpcFunctionMetadata function, Uri url, IReadOnlyDictionary<string, string> routeValues)
    {
        var trigger = function.RawBindings.Select(TestFunctionsHost.ToBindingInfo).Single(b => b.Info.Type == "httpTrigger").Name;
        var rpcHttp = new RpcHttp { Method = "GET", Url = url.ToString() };
        foreach (var (name, value) in routeValues)
        {
            rpcHttp.Params[name] = value;
        }
        var metadata = new Dictionary<string, TypedData>
        {
            ["Query"] = new() { Json = "{}" },
            ["Headers"] = new() { Json = "{}" },
        };
        foreach (var (name, value) in routeValues)
        {
            metadata[name] = new TypedData { String = value };
        }
        return ([new ParameterBinding { Name = trigger, Data = new TypedData { Http = rpcHttp } }], metadata);
    }

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
}
