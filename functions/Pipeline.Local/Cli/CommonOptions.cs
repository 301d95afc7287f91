using System.CommandLine;
using Pipeline.Core.Catalog;
using Pipeline.Local.Hosting;
using Spectre.Console;

namespace Pipeline.Local.Cli;

internal static class CommonOptions
{
    public static Option<string> Data { get; } = new("--data")
    {
        Description = "The data folder: SQLite file, blobs, keys, outbox, catalog.",
        DefaultValueFactory = _ => LocalPaths.ResolveDefaultDataFolder(),
        CustomParser = result => ResolvePath(result.Tokens.Single().Value),
    };

    public static Option<string?> Catalog { get; } = new("--catalog")
    {
        Description = "The catalog folder (default: DATA/catalog).",
        CustomParser = result => ResolvePath(result.Tokens.Single().Value),
    };

    /// <summary>
    /// The one rule for a path the user typed: relative to the directory the command was started from. That is the
    /// process's current directory, also under <c>dotnet run</c> (Pipeline.Local.csproj sets RunWorkingDirectory to
    /// where <c>dotnet run</c> was typed; the Web SDK would start it in the project folder), so a path resolves as the
    /// shell completed it. The default data folder is found from the same directory.
    /// </summary>
    public static string ResolvePath(string path) => Path.GetFullPath(path, Environment.CurrentDirectory);

    /// <summary>An argument naming a file that must exist, resolved by <see cref="ResolvePath"/>.</summary>
    public static Argument<FileInfo> ExistingFile(string name, string description)
    {
        var argument = new Argument<FileInfo>(name)
        {
            Description = description,
            CustomParser = result => new FileInfo(ResolvePath(result.Tokens.Single().Value)),
        };
        argument.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && result.GetValueOrDefault<FileInfo>() is { Exists: false } missing)
            {
                result.AddError($"{result.Tokens[0].Value}: no such file (looked for {missing.FullName}).");
            }
        });
        return argument;
    }

    /// <summary>Opens the runtime, or prints every catalog error (file, pointer, expected, found) and returns null.</summary>
    public static Task<PipelineRuntime?> OpenRuntimeAsync(LocalPaths paths, CancellationToken cancellationToken) =>
        OpenRuntimeAsync(paths, AnsiConsole.Console, cancellationToken);

    /// <inheritdoc cref="OpenRuntimeAsync(LocalPaths, CancellationToken)"/>
    public static async Task<PipelineRuntime?> OpenRuntimeAsync(LocalPaths paths, IAnsiConsole console, CancellationToken cancellationToken)
    {
        try
        {
            return await PipelineRuntime.OpenAsync(paths, cancellationToken);
        }
        catch (CatalogException exception)
        {
            console.MarkupLine($"[red]The catalog in {Markup.Escape(paths.CatalogFolder)} has {exception.Errors.Count} error(s):[/]");
            foreach (var error in exception.Errors)
            {
                console.MarkupLine($"  [red]•[/] {Markup.Escape(error.ToString())}");
            }
            if (!Directory.Exists(paths.CatalogFolder))
            {
                console.MarkupLine("The demo installs the sample catalog there (dotnet run --project functions/Pipeline.Local -- demo); or name one with --catalog, e.g. --catalog samples/catalog.");
            }
            return null;
        }
    }
}
