using System.CommandLine;
using Pipeline.Core.Catalog;
using Pipeline.Local.Hosting;
using Pipeline.Local.Webhooks;
using Spectre.Console;

namespace Pipeline.Local.Cli;

/// <summary>
/// <c>partner add ID</c> creates a catalog partner's webhook secret and prints it once; <c>partner rotate-secret ID</c>
/// adds a second (both verify during the overlap); <c>partner retire-secret ID</c> removes the older one.
/// </summary>
internal static class PartnerCommand
{
    public static Command Create()
    {
        var command = new Command("partner", "Webhook partners' signing secrets (kept in DATA/keys/partners, owner-only).")
        {
            Sub("add", "Create the partner's first secret and print it once.", async (store, id, ct) =>
                Report(await store.AddAsync(id, ct), id, "already has a secret; use rotate-secret")),
            Sub("rotate-secret", "Add a new secret; the old one stays active until retire-secret.", async (store, id, ct) =>
                Report(await store.RotateAsync(id, ct), id, "has no secret yet; use add")),
            Sub("retire-secret", "Remove the older of the partner's two secrets.", async (store, id, ct) =>
                Report((await store.RetireAsync(id, ct), null), id, "has only one secret; nothing to retire")),
        };
        return command;
    }

    private static Command Sub(string name, string description, Func<PartnerSecretStore, string, CancellationToken, Task<int>> run)
    {
        var partner = new Argument<string>("partner") { Description = "The partner's id: catalog/partners/{partner}.json." };
        var command = new Command(name, description) { CommonOptions.Data, CommonOptions.Catalog, partner };
        command.SetAction(async (result, cancellationToken) =>
        {
            var paths = LocalPaths.For(result.GetRequiredValue(CommonOptions.Data), result.GetValue(CommonOptions.Catalog));
            var id = result.GetRequiredValue(partner);
            var catalog = CatalogLoader.Load(paths.CatalogFolder);
            if (catalog.Catalog is null)
            {
                AnsiConsole.MarkupLine($"[red]The catalog in {Markup.Escape(paths.CatalogFolder)} has {catalog.Errors.Count} error(s); run serve or demo to see them.[/]");
                return 1;
            }
            if (!catalog.Catalog.Partners.ContainsKey(id))
            {
                AnsiConsole.MarkupLine($"[red]No partner \"{Markup.Escape(id)}\" in {Markup.Escape(Path.Combine(paths.CatalogFolder, CatalogLoader.PartnersFolder))}; add {Markup.Escape(id)}.json there first (docs/integrations.md).[/]");
                return 1;
            }
            return await run(new PartnerSecretStore(paths.PartnerSecrets, TimeProvider.System), id, cancellationToken);
        });
        return command;
    }

    private static int Report((SecretChange Change, string? Secret) result, string id, string wrongState)
    {
        switch (result.Change)
        {
            case SecretChange.Done when result.Secret is { } secret:
                AnsiConsole.MarkupLine($"Webhook secret for [bold]{Markup.Escape(id)}[/] (shown once; give it to the partner over a secure channel):");
                Console.Out.WriteLine(secret);
                return 0;
            case SecretChange.Done:
                AnsiConsole.MarkupLine($"Retired the older secret of {Markup.Escape(id)}; only the newer one verifies now.");
                return 0;
            case SecretChange.TwoActive:
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(id)} already has two active secrets; retire-secret the older one first.[/]");
                return 1;
            default:
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(id)} {Markup.Escape(wrongState)}.[/]");
                return 1;
        }
    }
}
