using System.CommandLine;
using Pipeline.Local.Cli;

CliOutput.Configure();
var verify = VerifyCommand.Create();
var revoke = RevokeCommand.Create();
var root = new RootCommand("Credential issuance pipeline, embedded: SQLite queues and ledgers, a folder of blobs, the public URLs.")
{
    DemoCommand.Create(),
    ServeCommand.Create(),
    IngestCommand.Create(),
    verify,
    revoke,
    ReplayPoisonCommand.Create(),
    PartnerCommand.Create(),
    BenchCommand.Create(),
    AdminKeyCommands.Add(),
    AdminKeyCommands.Revoke(),
    ChaosCommand.Create(),
    ChaosCommand.CreateWorker(),
};
root.WithDetails((verify, VerifyCommand.Details), (revoke, RevokeCommand.Details));
return await root.Parse(args).InvokeAsync();
