using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;
using Pipeline.Local.Storage;

namespace Pipeline.Local.Hosting;

/// <summary>How much work the stage queues hold, and waiting until they hold none (messages in flight count).</summary>
internal static class QueueDrain
{
    public sealed record Snapshot(int Completions, int Issuance, int Emails, int ClaimResends)
    {
        public int Total => Completions + Issuance + Emails + ClaimResends;
    }

    public static async Task<Snapshot> CountAsync(SqliteQueue queue, CancellationToken cancellationToken) => new(
        await queue.CountAsync(Queues.Completions, cancellationToken),
        await queue.CountAsync(Queues.Issuance, cancellationToken),
        await queue.CountAsync(Queues.Emails, cancellationToken),
        await queue.CountAsync(Queues.ClaimResends, cancellationToken));

    /// <summary>Polls until every stage queue is empty, reporting each snapshot; returns the last one.</summary>
    public static async Task WaitUntilEmptyAsync(SqliteQueue queue, TimeProvider time, Action<Snapshot> progress, CancellationToken cancellationToken)
    {
        while (true)
        {
            var snapshot = await CountAsync(queue, cancellationToken);
            progress(snapshot);
            if (snapshot.Total == 0)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    public static async Task<IReadOnlyList<(string Queue, int Count)>> PoisonCountsAsync(SqliteQueue queue, CancellationToken cancellationToken)
    {
        var counts = new List<(string, int)>();
        foreach (var name in Queues.All)
        {
            counts.Add((name + Queues.PoisonSuffix, await queue.CountAsync(name + Queues.PoisonSuffix, cancellationToken)));
        }
        return counts;
    }
}
