using System.CommandLine;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;
using Pipeline.Local.Hosting;
using Pipeline.Local.Storage;
using Spectre.Console;

namespace Pipeline.Local.Cli;

/// <summary><c>replay-poison QUEUE</c>: moves every message of <c>QUEUE-poison</c> back to <c>QUEUE</c> with a fresh dequeue count.</summary>
internal static class ReplayPoisonCommand
{
    public static Command Create()
    {
        var queue = new Argument<string>("queue") { Description = $"The stage queue whose poison messages to replay: {string.Join(", ", Queues.All)}." };
        queue.AcceptOnlyFromAmong([.. Queues.All]);
        var command = new Command("replay-poison", "Put poisoned messages back on their queue (after fixing what failed them).") { CommonOptions.Data, queue };
        command.SetAction(async (result, cancellationToken) =>
        {
            var paths = LocalPaths.For(result.GetRequiredValue(CommonOptions.Data));
            using var database = await SqliteDatabase.OpenAsync(paths.DataFolder, cancellationToken);
            var name = result.GetRequiredValue(queue);
            var peeked = await new SqliteQueue(database, TimeProvider.System).PeekAsync(name + Queues.PoisonSuffix, 32, cancellationToken);
            foreach (var message in peeked)
            {
                AnsiConsole.MarkupLine($"  {Markup.Escape(message.MessageId)}: {Markup.Escape(message.PoisonReason ?? "no reason recorded")}");
            }
            var replayed = await new SqliteQueue(database, TimeProvider.System).ReplayPoisonAsync(name, cancellationToken);
            AnsiConsole.MarkupLine($"Replayed {replayed} message(s) from {Markup.Escape(name)}{Queues.PoisonSuffix} to {Markup.Escape(name)}. A running host (or the next demo/ingest) processes them.");
            return 0;
        });
        return command;
    }
}
