using System.CommandLine;
using Pipeline.Local.Cli;

CliOutput.Configure();
var root = new RootCommand("Credential issuance pipeline, embedded: SQLite queues and ledgers, a folder of blobs, the public URLs.")
{
    DemoCommand.Create(),
    ServeCommand.Create(),
    IngestCommand.Create(),
    VerifyCommand.Create(),
    RevokeCommand.Create(),
    ReplayPoisonCommand.Create(),
    PartnerCommand.Create(),
    BenchCommand.Create(),
    AdminKeyCommands.Add(),
    AdminKeyCommands.Revoke(),
    ChaosCommand.Create(),
    ChaosCommand.CreateWorker(),
};
return await root.Parse(args).InvokeAsync();
