using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core.Contracts;
using Pipeline.Core.Http;
using Pipeline.Core.Http.Admin;
using Pipeline.Core.Storage;

namespace Pipeline.Functions.Tests;

/// <summary>
/// The <c>functions.metadata</c> the worker SDK generates at build is what the Functions host indexes: these tests pin it
/// to the design (every function, trigger type, queue, container, route and connection setting) and check the host.json
/// that ships beside it.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private const string Connection = "AzureWebJobsStorage";

    private static readonly string[] StageFunctionNames = ["Evaluate", "Issue", "Notify", "ResendClaimLinks", "IngestSisFile", "PublishStatusLists", "ReportPoisonQueues"];

    private static readonly string OutputFolder = FunctionsOutput.Folder;

    private static readonly IReadOnlyDictionary<string, JsonObject> Functions =
        JsonNode.Parse(File.ReadAllText(Path.Combine(OutputFolder, "functions.metadata")))!.AsArray()
            .Select(f => f!.AsObject())
            .ToDictionary(f => (string)f["name"]!, StringComparer.Ordinal);

    private static JsonObject Trigger(string function) =>
        Functions[function]["bindings"]!.AsArray().Select(b => b!.AsObject()).Single(b => ((string)b["type"]!).EndsWith("Trigger", StringComparison.Ordinal));

    private static readonly (string Name, string Method, string Route)[] AdminFunctions =
    [
        ("RevokeCredential", "post", AdminRoutes.Revoke),
        ("RevokeCredentials", "post", AdminRoutes.BulkRevoke),
        ("LearnerProgress", "get", AdminRoutes.Progress),
        ("PartnerWebhook", "post", WebhookEndpoints.Route.TrimStart('/')),
    ];

    [Fact]
    public void Admin_and_webhook_functions_are_anonymous_HTTP_triggers_on_the_embedded_hosts_routes_and_methods()
    {
        Assert.All(AdminFunctions, function =>
        {
            var trigger = Trigger(function.Name);
            Assert.Equal(("httpTrigger", "Anonymous", function.Route, function.Method),
                ((string)trigger["type"]!, (string)trigger["authLevel"]!, (string)trigger["route"]!, (string)trigger["methods"]!.AsArray().Single()!));
        });
    }

    private static IEnumerable<(string Name, string Route)> PublicRouteConstants() =>
        typeof(PublicRoutes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (f.Name, (string)f.GetRawConstantValue()!));

    [Fact]
    public void Metadata_lists_exactly_the_stage_triggers_one_HTTP_function_per_public_route_and_the_admin_and_webhook_functions()
    {
        var expected = StageFunctionNames.Concat(PublicRouteConstants().Select(r => r.Name)).Concat(AdminFunctions.Select(f => f.Name));

        Assert.Equal(expected.Order(StringComparer.Ordinal), Functions.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Evaluate", Queues.Completions)]
    [InlineData("Issue", Queues.Issuance)]
    [InlineData("Notify", Queues.Emails)]
    [InlineData("ResendClaimLinks", Queues.ClaimResends)]
    public void Queue_triggers_read_their_stage_queue_over_the_storage_connection(string function, string queue)
    {
        var trigger = Trigger(function);

        Assert.Equal(("queueTrigger", "In", queue, Connection),
            ((string)trigger["type"]!, (string)trigger["direction"]!, (string)trigger["queueName"]!, (string)trigger["connection"]!));
    }

    [Fact]
    public void SIS_ingest_is_an_Event_Grid_sourced_blob_trigger_on_the_inbox()
    {
        var trigger = Trigger("IngestSisFile");

        Assert.Equal(("blobTrigger", $"{Containers.SisInbox}/{{name}}", "EventGrid", Connection),
            ((string)trigger["type"]!, (string)trigger["path"]!, (string)trigger["source"]!, (string)trigger["connection"]!));
    }

    [Fact]
    public void Status_lists_are_published_by_a_timer_every_minute()
    {
        var trigger = Trigger("PublishStatusLists");

        Assert.Equal(("timerTrigger", "0 * * * * *"), ((string)trigger["type"]!, (string)trigger["schedule"]!));
    }

    [Fact]
    public void Poison_queues_are_reported_by_a_timer_every_15_minutes()
    {
        var trigger = Trigger("ReportPoisonQueues");

        Assert.Equal(("timerTrigger", "0 */15 * * * *"), ((string)trigger["type"]!, (string)trigger["schedule"]!));
    }

    [Fact]
    public void Every_public_route_is_an_anonymous_GET_and_HEAD_HTTP_trigger_with_the_routes_template()
    {
        Assert.All(PublicRouteConstants(), route =>
        {
            var trigger = Trigger(route.Name);
            Assert.Equal(("httpTrigger", "Anonymous", route.Route), ((string)trigger["type"]!, (string)trigger["authLevel"]!, (string)trigger["route"]!));
            Assert.Equal(["get", "head"], trigger["methods"]!.AsArray().Select(m => (string)m!));
        });
    }

    [Fact]
    public void The_output_ships_the_repository_root_host_json()
    {
        var shipped = File.ReadAllText(Path.Combine(OutputFolder, "host.json"));

        Assert.Equal(File.ReadAllText(Path.Combine(FunctionsOutput.RepositoryRoot(), "host.json")), shipped);
    }

    [Fact]
    public void Host_json_sets_an_empty_route_prefix_Base64_queue_messages_and_five_dequeues_before_poison()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutputFolder, "host.json")));
        var extensions = host.RootElement.GetProperty("extensions");

        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        Assert.Equal("", extensions.GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal("base64", extensions.GetProperty("queues").GetProperty("messageEncoding").GetString());
        Assert.Equal(5, extensions.GetProperty("queues").GetProperty("maxDequeueCount").GetInt32());
    }
}
