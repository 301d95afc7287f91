using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Cli;

/// <summary>A data folder filled by a real <c>demo</c> run (a small term) in a child process, and what it printed.</summary>
public sealed class DemoDataFolder : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();

    public string Path => System.IO.Path.Combine(_folder.Path, "data");
    public string WorkingDirectory => _folder.Path;
    internal CliRun Demo { get; private set; } = new(-1, "", "");

    public async Task InitializeAsync() => Demo = await CliProcess.RunAsync(_folder.Path, "demo", "--data", Path, "--learners", "4");

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();
}
