using System.CommandLine;
using Pipeline.Core.Catalog;
using Pipeline.Local.Hosting;
using Spectre.Console;

namespace Pipeline.Local.Cli;

internal static class CommonOptions
{
    public static Option<string> Data { get; } = new("--data")
    {
        Description = "The data folder: SQLite file, blobs, keys, outbox, catalog (default: .pipeline at the root of the checkout).",
        DefaultValueFactory = _ => LocalPaths.ResolveDefaultDataFolder(),
    };

    public static Option<string?> Catalog { get; } = new("--catalog")
    {
        Description = "The catalog folder (default: DATA/catalog).",
    };

    /// <summary>Opens the runtime, or prints every catalog error (file, pointer, expected, found) and returns null.</summary>
    public static async Task<PipelineRuntime?> OpenRuntimeAsync(LocalPaths paths, CancellationToken cancellationToken)
    {
        try
        {
            return await PipelineRuntime.OpenAsync(paths, cancellationToken);
        }
        catch (CatalogException exception)
        {
            AnsiConsole.MarkupLine($"[red]The catalog in {Markup.Escape(paths.CatalogFolder)} has {exception.Errors.Count} error(s):[/]");
            foreach (var error in exception.Errors)
            {
                AnsiConsole.MarkupLine($"  [red]•[/] {Markup.Escape(error.ToString())}");
            }
            return null;
        }
    }
}
