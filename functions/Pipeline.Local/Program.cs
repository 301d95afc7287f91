using System.CommandLine;
using Pipeline.Local.Cli;

var root = new RootCommand("Credential issuance pipeline, embedded: SQLite queues and ledgers, a folder of blobs, the public URLs.")
{
    DemoCommand.Create(),
    ServeCommand.Create(),
    IngestCommand.Create(),
    ReplayPoisonCommand.Create(),
    ChaosCommand.Create(),
    ChaosCommand.CreateWorker(),
};
return await root.Parse(args).InvokeAsync();
