using Microsoft.Extensions.DependencyInjection;
using Pipeline.Core.Contracts;
using Pipeline.Core.Stages;
using Pipeline.Local.Hosting;
using Pipeline.Local.Storage;
using Pipeline.Local.Tests.EndToEnd;

namespace Pipeline.Local.Tests.Dispatching;

/// <summary>The embedded host dispatches every queue of the shared <see cref="StageDispatcher.Table"/>, through that table.</summary>
public sealed class StageTableDispatchTests
{
    [Fact]
    public void The_worker_serves_exactly_the_queues_of_the_table()
    {
        Assert.Equal(StageDispatcher.Table.Select(r => r.Queue), StageDispatchWorker.ServedQueues);
        Assert.Equal(Queues.All.Order(StringComparer.Ordinal), StageDispatcher.Table.Select(r => r.Queue).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_message_on_every_queue_of_the_table_reaches_its_stage_which_poisons_a_body_that_is_not_its_message()
    {
        using var pipeline = new LocalPipeline();
        using var runtime = await pipeline.OpenAsync();
        using var host = LocalPipeline.WorkerHost(runtime);
        var queue = host.Services.GetRequiredService<SqliteQueue>();
        foreach (var route in StageDispatcher.Table)
        {
            await queue.SendAsync(new OutgoingMessage(route.Queue, "not json"), LocalPipeline.Bounded());
        }

        await LocalPipeline.RunUntilDrainedAsync(host);

        foreach (var route in StageDispatcher.Table)
        {
            var poisoned = Assert.Single(await queue.PeekAsync(SqliteQueue.PoisonQueueOf(route.Queue), 10, LocalPipeline.Bounded()));
            Assert.Contains(nameof(InvalidMessageException), poisoned.PoisonReason, StringComparison.Ordinal);
            Assert.Contains(route.MessageType.Name, poisoned.PoisonReason, StringComparison.Ordinal);
        }
    }
}
