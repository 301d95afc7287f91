using System.CommandLine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Pipeline.Local.Hosting;

namespace Pipeline.Local.Cli;

/// <summary><c>serve</c>: the long-running embedded host — public URLs, queue dispatchers, the SIS inbox watcher, status-list publishing.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen (semicolon-separated URLs).", DefaultValueFactory = _ => LocalWebHost.DefaultUrl };
        var command = new Command("serve", "Run the embedded host until Ctrl+C: public URLs, verification and claim pages, admin API, webhooks, stage workers.")
        {
            CommonOptions.Data, CommonOptions.Catalog, urls,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var paths = LocalPaths.For(result.GetRequiredValue(CommonOptions.Data), result.GetValue(CommonOptions.Catalog));
            using var runtime = await CommonOptions.OpenRuntimeAsync(paths, cancellationToken);
            if (runtime is null)
            {
                return 1;
            }
            // The generic host's own lines ("Now listening on", "Content root path: …/bin/…") are replaced by one line
            // that says what is served where.
            await using var app = LocalWebHost.Build(runtime, result.GetRequiredValue(urls), builder =>
            {
                builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
                builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
            });
            await app.StartAsync(cancellationToken);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            CliOutput.Copyable($"Serving {paths.DataFolder} (Ctrl+C to stop) at:", string.Join(" ", addresses));
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
