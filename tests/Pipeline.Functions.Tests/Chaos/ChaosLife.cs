using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Pipeline.Azure.Storage;
using Pipeline.Faults;

namespace Pipeline.Functions.Tests.Chaos;

/// <summary>
/// The process the Azure chaos run kills: <c>dotnet exec Pipeline.Functions.Tests.dll chaos-life --keys DIR --faults
/// RATE --seed N</c> with the storage connection string in <see cref="StorageVariable"/>. It composes the app
/// (<see cref="ChaosApp"/>), plays the host (<see cref="FunctionsHostDriver"/>) until the queues are drained, and every
/// quarter second prints a <see cref="StatusPrefix"/> line with what it has done so far, so a killed process's figures
/// are not lost.
/// </summary>
internal static class ChaosLife
{
    public const string Command = "chaos-life";
    public const string StorageVariable = "CHAOS_STORAGE";
    public const string StatusPrefix = "status ";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }
        var connectionString = Environment.GetEnvironmentVariable(StorageVariable)
            ?? throw new InvalidOperationException($"{StorageVariable} (the storage connection string) is not set.");
        var rate = double.Parse(options["--faults"], CultureInfo.InvariantCulture);
        var faults = rate > 0 ? ChaosApp.FaultOptions(rate, int.Parse(options["--seed"], CultureInfo.InvariantCulture)) : null;

        await using var app = await ChaosApp.StartAsync(connectionString, options["--keys"], faults, CancellationToken.None);
        var driver = new FunctionsHostDriver(app, new QueueServiceClient(connectionString, AzureQueueSender.ClientOptions()), new BlobServiceClient(connectionString));
        using var stop = new CancellationTokenSource();
        var running = driver.RunAsync(stop.Token);
        while (!running.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            Report(app.Faults, driver);
            if (await driver.IsDrainedAsync(CancellationToken.None) && await driver.IsDrainedAsync(CancellationToken.None))
            {
                await stop.CancelAsync();
            }
        }
        await running;
        Report(app.Faults, driver);
        return 0;
    }

    private static void Report(FaultInjector? faults, FunctionsHostDriver driver)
    {
        Console.Out.WriteLine($"{StatusPrefix}{faults?.Counts ?? new FaultCounts(0, 0, 0, 0, 0, 0, 0)} {driver.Counts}");
        Console.Out.Flush();
    }
}
