using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Azure.Storage;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Faults;
using Pipeline.Core.Storage;
using Pipeline.Local.Demo;

namespace Pipeline.Functions.Tests.Chaos;

/// <summary>How hard the Azure chaos run shakes the app.</summary>
internal sealed record AzureChaosSettings
{
    public int Learners { get; init; } = 60;
    public double FaultRate { get; init; } = 0.1;
    public int Kills { get; init; } = 4;
    public int Seed { get; init; } = 7;
    /// <summary>A process needs about a second to compose the app; kills before that would test nothing.</summary>
    public TimeSpan MinKillDelay { get; init; } = TimeSpan.FromMilliseconds(1500);
    public TimeSpan MaxKillDelay { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>The longest one process may take to drain before the run is declared stuck.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>What the processes did, killed ones included; <see cref="Kills"/> counts the processes really killed (not those that drained first).</summary>
internal sealed record AzureChaosLog(FaultCounts Faults, IReadOnlyDictionary<string, long> Driver, int Kills, int Processes, int PoisonReplayed)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Faults} {string.Join(' ', Driver.Select(d => $"{d.Key}={d.Value}"))} kills={Kills} processes={Processes} poisonReplayed={PoisonReplayed}");
}

/// <summary>
/// The chaos run on the Azure adapters: the generated sample term is uploaded to <c>sis-inbox</c> on a dedicated Azurite
/// and its blob-created event queued for Event Grid; the app then runs as a child process (<see cref="ChaosLife"/>:
/// <see cref="ChaosApp"/> under <see cref="FunctionsHostDriver"/>) with faults on every port, killed
/// (<see cref="Process.Kill(bool)"/>) after a random delay several times and restarted on the same storage account; a
/// last faulty process drains; then processes with faults off drain, the poison queues are replayed as an operator
/// would (each message moved back to its queue: the app offers no replay) and drained again until no poison is left;
/// then <see cref="AzureChaosVerdict"/> compares the account with the truth computed from the input.
/// </summary>
internal sealed class AzureChaosRun(string connectionString, string keyFolder, AzureChaosSettings settings, Action<string> progress)
{
    public const string TermBlob = "generic/term-2026SP.csv";
    private readonly QueueServiceClient _queues = new(connectionString, AzureQueueSender.ClientOptions());
    private readonly BlobServiceClient _blobs = new(connectionString);
    private FaultCounts _faults = new(0, 0, 0, 0, 0, 0, 0);
    private readonly Dictionary<string, long> _driver = new(StringComparer.Ordinal);
    private int _processes, _killed;

    public async Task<(AzureChaosLog Log, AzureChaosVerdict Verdict)> RunAsync(CancellationToken cancellationToken)
    {
        byte[] term;
        PipelineCatalog catalog;
        await using (var setup = await ChaosApp.StartAsync(connectionString, keyFolder, faults: null, cancellationToken))
        {
            catalog = setup.Services.GetRequiredService<PipelineCatalog>();
            term = Encoding.UTF8.GetBytes(string.Join('\n', new TermGenerator(catalog).Rows(settings.Learners)) + "\n");
            await _blobs.GetBlobContainerClient(Containers.SisInbox).GetBlobClient(TermBlob).UploadAsync(new BinaryData(term), cancellationToken);
            await setup.World.EventGrid.SendMessageAsync(TermBlob, cancellationToken);
        }

        var random = new Random(settings.Seed);
        for (var kill = 0; kill < settings.Kills; kill++)
        {
            var delay = settings.MinKillDelay + (settings.MaxKillDelay - settings.MinKillDelay) * random.NextDouble();
            var killed = await RunProcessAsync(settings.FaultRate, settings.Seed + _processes, delay, cancellationToken);
            progress(string.Create(CultureInfo.InvariantCulture, $"process {_processes}: {(killed ? $"killed after {delay.TotalMilliseconds:0} ms" : "drained")}; {_faults}"));
        }
        await RunProcessAsync(settings.FaultRate, settings.Seed + _processes, killAfter: null, cancellationToken);
        progress($"process {_processes} (faults on, drained): {_faults}");

        var replayed = 0;
        for (var round = 0; round < 3; round++)
        {
            await RunProcessAsync(0, settings.Seed, killAfter: null, cancellationToken);
            var moved = await ReplayPoisonAsync(cancellationToken);
            replayed += moved;
            progress(string.Create(CultureInfo.InvariantCulture, $"process {_processes} (faults off, drained): replayed {moved} poison message(s)"));
            if (moved == 0)
            {
                break;
            }
        }

        var verdict = await AzureChaosVerdict.CheckAsync(connectionString, keyFolder, catalog, term, progress, cancellationToken);
        return (new AzureChaosLog(_faults, _driver, _killed, _processes, replayed), verdict);
    }

    /// <summary>One process of the app; true when it was killed, false when it drained the queues and exited.</summary>
    private async Task<bool> RunProcessAsync(double rate, int seed, TimeSpan? killAfter, CancellationToken cancellationToken)
    {
        _processes++;
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { [ChaosLife.StorageVariable] = connectionString },
        };
        foreach (var argument in new[]
        {
            "exec", typeof(ChaosLife).Assembly.Location, ChaosLife.Command,
            "--keys", keyFolder,
            "--faults", rate.ToString(CultureInfo.InvariantCulture),
            "--seed", seed.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        string? last = null;
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith(ChaosLife.StatusPrefix, StringComparison.Ordinal))
            {
                last = line[ChaosLife.StatusPrefix.Length..];
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
        limit.CancelAfter(killAfter ?? settings.DrainTimeout);
        var killed = false;
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            killed = true;
            _killed++;
        }
        await process.WaitForExitAsync(CancellationToken.None);
        if (killed && killAfter is null)
        {
            throw new TimeoutException($"The app process did not drain the queues within {settings.DrainTimeout}; stderr:\n{errors}");
        }
        if (!killed && process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The app process exited {process.ExitCode}; stderr:\n{errors}"));
        }
        Add(last);
        return killed;
    }

    /// <summary>Adds a process's last status line (<c>name=value</c> pairs) to the run's totals.</summary>
    private void Add(string? status)
    {
        if (status is null)
        {
            return;
        }
        var values = status.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('='))
            .ToDictionary(pair => pair[0], pair => long.Parse(pair[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        _faults = new FaultCounts(
            _faults.Calls + values["calls"], _faults.Failures + values["failures"], _faults.Timeouts + values["timeouts"], _faults.Throttled + values["throttled"],
            _faults.Slow + values["slow"], _faults.AfterWrite + values["afterWrite"], _faults.Duplicates + values["duplicates"]);
        foreach (var (name, value) in values.Where(v => !FaultNames.Contains(v.Key)))
        {
            _driver[name] = _driver.GetValueOrDefault(name) + value;
        }
    }

    private static readonly HashSet<string> FaultNames = new(["calls", "failures", "timeouts", "throttled", "slow", "afterWrite", "duplicates"], StringComparer.Ordinal);

    /// <summary>What an operator does (the app offers no replay): move every poison message back to its queue.</summary>
    private async Task<int> ReplayPoisonAsync(CancellationToken cancellationToken)
    {
        var moved = 0;
        var world = new ChaosWorld(_blobs, _queues);
        foreach (var queue in Queues.All)
        {
            var poison = _queues.GetQueueClient(queue + Queues.PoisonSuffix);
            var target = _queues.GetQueueClient(queue);
            while ((await poison.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30), cancellationToken)).Value is { Length: > 0 } batch)
            {
                foreach (var message in batch)
                {
                    progress($"replaying {queue}-poison message; its last failure: {await world.FailureOfAsync(message.Body.ToString(), cancellationToken)}");
                    await target.SendMessageAsync(message.Body.ToString(), cancellationToken);
                    await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                    moved++;
                }
            }
        }
        return moved;
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
}
