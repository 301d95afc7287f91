using System.CommandLine;
using Pipeline.Local.Admin;
using Pipeline.Local.Hosting;
using Spectre.Console;

namespace Pipeline.Local.Cli;

/// <summary><c>add-admin-key --name NAME</c> (prints the key once) and <c>revoke-admin-key --name NAME</c>.</summary>
internal static class AdminKeyCommands
{
    private static readonly Option<string> Name = new("--name")
    {
        Description = "The key's name: recorded as the actor of every revocation made with it.",
        Required = true,
    };

    public static Command Add()
    {
        var command = new Command("add-admin-key", "Create an admin API key for the revoke and progress API; it is printed once and stored only as a SHA-256 hash.") { CommonOptions.Data, Name };
        command.SetAction(async (result, cancellationToken) =>
        {
            var store = new AdminKeyStore(AdminKeyStore.PathIn(LocalPaths.For(result.GetRequiredValue(CommonOptions.Data))), TimeProvider.System);
            var name = result.GetRequiredValue(Name).Trim();
            if (await store.AddAsync(name, cancellationToken) is not { } key)
            {
                AnsiConsole.MarkupLine($"[red]An admin key named {Markup.Escape(name)} exists already; revoke it first or pick another name.[/]");
                return 1;
            }
            AnsiConsole.MarkupLine($"Admin key [bold]{Markup.Escape(name)}[/] created. Send it as [bold]Authorization: Bearer <key>[/]. It is shown only now:");
            Console.WriteLine(key);
            return 0;
        });
        return command;
    }

    public static Command Revoke()
    {
        var command = new Command("revoke-admin-key", "Delete an admin API key; it stops working at once.") { CommonOptions.Data, Name };
        command.SetAction(async (result, cancellationToken) =>
        {
            var store = new AdminKeyStore(AdminKeyStore.PathIn(LocalPaths.For(result.GetRequiredValue(CommonOptions.Data))), TimeProvider.System);
            var name = result.GetRequiredValue(Name).Trim();
            if (!await store.RevokeAsync(name, cancellationToken))
            {
                AnsiConsole.MarkupLine($"[red]There is no admin key named {Markup.Escape(name)}.[/]");
                return 1;
            }
            AnsiConsole.MarkupLine($"Admin key {Markup.Escape(name)} revoked.");
            return 0;
        });
        return command;
    }
}
