using System.Text.Json.Nodes;
using Pipeline.Core.Stages;

namespace Pipeline.Functions.Tests;

/// <summary>Every queue of the shared <see cref="StageDispatcher.Table"/> has a queue trigger in the generated <c>functions.metadata</c>, and no trigger reads another queue.</summary>
public sealed class StageTableMetadataTests
{
    private static readonly IReadOnlyList<string> TriggeredQueues =
        [.. JsonNode.Parse(File.ReadAllText(Path.Combine(FunctionsOutput.Folder, "functions.metadata")))!.AsArray()
            .SelectMany(f => f!["bindings"]!.AsArray())
            .Where(b => (string)b!["type"]! == "queueTrigger")
            .Select(b => (string)b!["queueName"]!)];

    public static TheoryData<string> TableQueues() => [.. StageDispatcher.Table.Select(r => r.Queue)];

    [Theory]
    [MemberData(nameof(TableQueues))]
    public void A_queue_of_the_table_has_exactly_one_queue_trigger(string queue) =>
        Assert.Single(TriggeredQueues, q => q == queue);

    [Fact]
    public void Every_queue_trigger_reads_a_queue_of_the_table() =>
        Assert.All(TriggeredQueues, q => Assert.NotNull(StageDispatcher.For(q)));
}
