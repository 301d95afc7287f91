using System.CommandLine;
using Pipeline.Core.Http.Admin;
using Pipeline.Core.Stages.Revoke;
using Pipeline.Core.Status;
using Pipeline.Local.Hosting;
using Spectre.Console;

namespace Pipeline.Local.Cli;

/// <summary>
/// <c>revoke ID --reason TEXT</c>: what <c>POST /api/credentials/{id}/revoke</c> does (the same
/// <see cref="RevokeCredentialHandler"/>: status-list bit, audit entry, <c>CredentialRevoked</c> event, ledger row), with
/// the local user as the audited actor (<c>cli:USER</c>), then the changed status list is signed and published so
/// verifiers see the revocation at once. Exit code 0 revoked; 1 unknown, already revoked or not yet issued; 2 a bad
/// reason or no data folder.
/// </summary>
internal static class RevokeCommand
{
    public const string ActorPrefix = "cli:";

    /// <summary>The end of <c>revoke --help</c>: what it does and the exit codes.</summary>
    public const string Details = """
        What it does (what the admin API's POST /api/credentials/{id}/revoke does, through the same handler, with
        no serve and no admin key): sets the credential's bit in its issuer's status list, records an audit entry
        whose actor is cli:USER (the user running it), publishes the CredentialRevoked event, marks the ledger row
        revoked, then re-signs and publishes the changed status list, so verify reports the badge revoked at once
        and a running serve within 30 seconds. Revocation is final.

        Exit code: 0 revoked; 1 no such credential, already revoked or not issued yet; 2 a missing or too long
        reason, or no pipeline database in --data.
        """;

    public static Command Create()
    {
        var id = new Argument<string>("credential-id") { Description = "The credential's id: the last segment of its verification URL (/credentials/ID)." };
        var reason = new Option<string>("--reason")
        {
            Description = $"Why it is revoked (1–{RevokeCredentialHandler.MaxReasonLength} characters, one line): recorded in the audit log and shown to verifiers of the OB 2.0 assertion.",
            Required = true,
        };
        var command = new Command("revoke", "Revoke an issued credential (audited as cli:USER) and republish its status list.")
        {
            id, reason, CommonOptions.Data, CommonOptions.Catalog,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetRequiredValue(id), result.GetRequiredValue(reason),
            LocalPaths.For(result.GetRequiredValue(CommonOptions.Data), result.GetValue(CommonOptions.Catalog)), cancellationToken));
        return command;
    }

    /// <summary>The audited actor of a revocation from this command: <c>cli:</c> and the name of the user running it.</summary>
    public static string Actor => ActorPrefix + Environment.UserName;

    private static async Task<int> RunAsync(string credentialId, string reason, LocalPaths paths, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(paths.DataFolder, Storage.SqliteDatabase.FileName)))
        {
            Console.Error.WriteLine($"revoke: no pipeline database in {paths.DataFolder}: name the data folder of the host that issued the credential with --data.");
            return 2;
        }
        using var runtime = await CommonOptions.OpenRuntimeAsync(paths, cancellationToken);
        if (runtime is null)
        {
            return 2;
        }
        using var host = PipelineHosts.BuildWorkerHost(runtime, builder => builder.Services.AddPipelineAdminHttp());
        var outcome = await host.Services.GetRequiredService<RevokeCredentialHandler>().RevokeAsync(credentialId, reason, Actor, cancellationToken);
        switch (outcome)
        {
            case RevocationOutcome.Revoked revoked:
                var published = await host.Services.GetRequiredService<StatusListPublisher>().PublishPendingAsync(cancellationToken);
                AnsiConsole.MarkupLine($"Revoked by {Markup.Escape(Actor)}: {Markup.Escape(reason.Trim())}");
                CliOutput.Copyable("Credential:", revoked.CredentialId);
                AnsiConsole.MarkupLine(published > 0
                    ? "Its status list is republished: verifiers now report it revoked (a running serve within 30 seconds)."
                    : "Its status list was already published with the revocation.");
                return 0;
            case RevocationOutcome.Rejected rejected:
                Console.Error.WriteLine($"revoke: --{(rejected.Field == RevokeCredentialHandler.ReasonColumn ? "reason" : "credential-id")}: {rejected.Problem}.");
                return 2;
            default:
                Console.Error.WriteLine($"revoke: {outcome.Message}");
                return 1;
        }
    }
}
