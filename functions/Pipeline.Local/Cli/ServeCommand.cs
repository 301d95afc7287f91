using System.CommandLine;
using Pipeline.Local.Hosting;

namespace Pipeline.Local.Cli;

/// <summary><c>serve</c>: the long-running embedded host — public URLs, queue dispatchers, the SIS inbox watcher, status-list publishing.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => LocalWebHost.DefaultUrl };
        var command = new Command("serve", "Run the embedded host until Ctrl+C.") { CommonOptions.Data, CommonOptions.Catalog, urls };
        command.SetAction(async (result, cancellationToken) =>
        {
            var paths = LocalPaths.For(result.GetRequiredValue(CommonOptions.Data), result.GetValue(CommonOptions.Catalog));
            using var runtime = await CommonOptions.OpenRuntimeAsync(paths, cancellationToken);
            if (runtime is null)
            {
                return 1;
            }
            await using var app = LocalWebHost.Build(runtime, result.GetRequiredValue(urls));
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
