using System.Diagnostics;
using Pipeline.Local.Cli;

namespace Pipeline.Local.Tests.Cli;

/// <summary>What a CLI run printed and returned.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public string[] Lines => Output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
}

/// <summary>
/// Runs the CLI as a user does: <c>dotnet Pipeline.Local.dll ARGS</c> in a child process with its output redirected
/// (a pipe, as in <c>| cat</c>) and <c>COLUMNS=80</c>, started in <paramref name="workingDirectory"/>.
/// </summary>
internal static class CliProcess
{
    public static async Task<CliRun> RunAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.Environment["COLUMNS"] = "80";
        start.Environment["USER"] = "cli-test";
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(DemoCommand).Assembly.Location);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new CliRun(process.ExitCode, await output, await error);
    }
}
