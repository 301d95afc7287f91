using System.Diagnostics;
using System.Globalization;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Faults;
using Pipeline.Core.Storage;
using Pipeline.Local.Cli;
using Pipeline.Local.Demo;
using Pipeline.Local.Hosting;
using Pipeline.Local.Storage;

namespace Pipeline.Local.Chaos;

/// <summary>How hard a chaos run shakes the pipeline.</summary>
internal sealed record ChaosSettings
{
    public required string DataFolder { get; init; }
    public int Learners { get; init; } = 60;
    public double FaultRate { get; init; } = 0.1;
    public int Kills { get; init; } = 4;
    public int Seed { get; init; } = 7;
    /// <summary>A worker is killed after a random delay up to this long.</summary>
    public TimeSpan MaxKillDelay { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>The longest any one worker run may take before the run is declared stuck.</summary>
    public TimeSpan WorkerTimeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>What the workers did: faults injected over every run (killed ones included), kills, poison replays.</summary>
internal sealed record ChaosLog(FaultCounts Faults, int Kills, int WorkerRuns, int PoisonReplayed, IReadOnlyList<int> ExitCodes);

/// <summary>
/// The chaos run: drops the sample term, runs the embedded host as a child process with faults on every port and
/// kills it at random points (restarting it on the same data folder), lets a last faulty run drain, then drains with
/// faults off, replays the poison queues and drains again; then checks the result against the truth computed from
/// the input (<see cref="ChaosVerdict"/>).
/// </summary>
internal static class ChaosRun
{
    /// <summary>A worker needs about a second to open the runtime; kills before that would test nothing.</summary>
    private static readonly TimeSpan MinKillDelay = TimeSpan.FromMilliseconds(1500);

    public static async Task<(ChaosLog Log, ChaosVerdict Verdict)> RunAsync(ChaosSettings settings, Uri baseUrl, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var paths = LocalPaths.For(settings.DataFolder);
        SampleCatalogInstaller.EnsureInstalled(paths.CatalogFolder, baseUrl);
        var catalog = CatalogLoader.Load(paths.CatalogFolder).GetCatalogOrThrow();
        var termPath = Path.Combine(paths.Inbox, DemoCommand.TermFile.Replace('/', Path.DirectorySeparatorChar));
        await new TermGenerator(catalog).WriteAsync(termPath, settings.Learners, cancellationToken);
        var termCopy = Path.Combine(paths.DataFolder, "chaos-term.csv");
        File.Copy(termPath, termCopy, overwrite: true);

        var random = new Random(settings.Seed);
        var totals = new FaultCounts(0, 0, 0, 0, 0, 0, 0);
        var exitCodes = new List<int>();
        var runs = 0;
        for (var kill = 0; kill < settings.Kills; kill++)
        {
            var delay = TimeSpan.FromMilliseconds(MinKillDelay.TotalMilliseconds + random.NextDouble() * Math.Max(0, settings.MaxKillDelay.TotalMilliseconds - MinKillDelay.TotalMilliseconds));
            var run = await RunWorkerAsync(paths, settings.FaultRate, settings.Seed + runs++, delay, settings.WorkerTimeout, cancellationToken);
            totals = Add(totals, run.Faults);
            exitCodes.Add(run.ExitCode);
            progress(string.Create(CultureInfo.InvariantCulture, $"worker {runs}: {(run.Killed ? $"killed after {delay.TotalMilliseconds:0} ms" : $"exited {run.ExitCode}")}; {run.Faults}"));
        }
        var last = await RunWorkerAsync(paths, settings.FaultRate, settings.Seed + runs++, null, settings.WorkerTimeout, cancellationToken);
        totals = Add(totals, last.Faults);
        exitCodes.Add(last.ExitCode);
        progress($"worker {runs} (faults on, not killed): exited {last.ExitCode}; {last.Faults}");

        var replayed = 0;
        for (var round = 0; round < 3; round++)
        {
            var calm = await RunWorkerAsync(paths, 0, settings.Seed, null, settings.WorkerTimeout, cancellationToken);
            runs++;
            exitCodes.Add(calm.ExitCode);
            var moved = await ReplayPoisonAsync(paths, cancellationToken);
            replayed += moved;
            progress(string.Create(CultureInfo.InvariantCulture, $"worker {runs} (faults off): exited {calm.ExitCode}; replayed {moved} poison message(s)"));
            if (moved == 0)
            {
                break;
            }
        }

        var verdict = await ChaosVerdict.CheckAsync(paths, catalog, termCopy, cancellationToken);
        return (new ChaosLog(totals, settings.Kills, runs, replayed, exitCodes), verdict);
    }

    private sealed record WorkerRun(bool Killed, int ExitCode, FaultCounts Faults);

    private static async Task<WorkerRun> RunWorkerAsync(LocalPaths paths, double rate, int seed, TimeSpan? killAfter, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "exec", typeof(ChaosRun).Assembly.Location, ChaosCommand.WorkerName,
            "--data", paths.DataFolder,
            "--faults", rate.ToString(CultureInfo.InvariantCulture),
            "--seed", seed.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var lastFaults = new FaultCounts(0, 0, 0, 0, 0, 0, 0);
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith(ChaosWorker.FaultsLinePrefix, StringComparison.Ordinal))
            {
                lastFaults = Parse(line[ChaosWorker.FaultsLinePrefix.Length..]);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && errors.Length < 20_000)
            {
                errors.AppendLine(line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(killAfter ?? timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            if (killAfter is null)
            {
                throw new TimeoutException($"The chaos worker did not drain the queues within {timeout}; stderr:\n{errors}");
            }
            return new WorkerRun(true, process.ExitCode, lastFaults);
        }
        await process.WaitForExitAsync(CancellationToken.None);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The chaos worker exited {process.ExitCode} (3: a fault escaped a worker and stopped the host); stderr:\n{errors}"));
        }
        return new WorkerRun(false, process.ExitCode, lastFaults);
    }

    private static async Task<int> ReplayPoisonAsync(LocalPaths paths, CancellationToken cancellationToken)
    {
        using var database = await SqliteDatabase.OpenAsync(paths.DataFolder, cancellationToken);
        var queue = new SqliteQueue(database, TimeProvider.System);
        var replayed = 0;
        foreach (var name in Queues.All)
        {
            replayed += await queue.ReplayPoisonAsync(name, cancellationToken);
        }
        return replayed;
    }

    /// <summary>The host that runs this assembly: <c>dotnet</c> itself when it is running it, otherwise the SDK's or the one on PATH.</summary>
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    private static FaultCounts Parse(string line)
    {
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('='))
            .ToDictionary(pair => pair[0], pair => long.Parse(pair[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return new FaultCounts(values["calls"], values["failures"], values["timeouts"], values["throttled"], values["slow"], values["afterWrite"], values["duplicates"]);
    }

    private static FaultCounts Add(FaultCounts a, FaultCounts b) => new(
        a.Calls + b.Calls, a.Failures + b.Failures, a.Timeouts + b.Timeouts, a.Throttled + b.Throttled, a.Slow + b.Slow, a.AfterWrite + b.AfterWrite, a.Duplicates + b.Duplicates);
}
