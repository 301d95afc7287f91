using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Pipeline.Azure.Storage;

namespace Pipeline.Azure.Tests.TestData;

/// <summary>
/// Azurite (the Azure Storage emulator), installed by <c>npm ci --prefix tools/azurite</c>, started once per test run
/// on ports of 127.0.0.1 it picks itself (and reports) with in-memory storage, and stopped when the test process ends (however it ends). Missing azurite is a
/// failure that says what to run, never a skip.
/// </summary>
internal sealed partial class Azurite
{
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly Lazy<Task<Azurite>> Instance = new(StartAsync);

    private Azurite(int blobPort, int queuePort, int tablePort)
    {
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/{Account};QueueEndpoint=http://127.0.0.1:{queuePort}/{Account};TableEndpoint=http://127.0.0.1:{tablePort}/{Account};";
    }

    public string ConnectionString { get; }

    public static Task<Azurite> GetAsync() => Instance.Value;

    /// <summary>An emulator of its own, empty, for a test that owns the fixed queue and container names (the chaos run).</summary>
    public static Task<Azurite> StartDedicatedAsync() => StartAsync();

    public BlobServiceClient Blobs() => new(ConnectionString);

    public QueueServiceClient Queues() => new(ConnectionString, AzureQueueSender.ClientOptions());

    /// <summary>A queue client without message encoding: reads the text exactly as it is stored in the queue.</summary>
    public QueueServiceClient RawQueues() => new(ConnectionString);

    public TableServiceClient Tables() => new(ConnectionString);

    private static async Task<Azurite> StartAsync()
    {
        var script = Path.Combine(RepositoryRoot(), "tools", "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed ({script} is missing). Run `npm ci --prefix tools/azurite` in the repository root, then run the tests again.");
        }
        // Port 0: each service listens where the system puts it and says so on stdout. Ports picked here and closed
        // before Azurite binds them could be taken meanwhile by another test process's emulator or server.
        // Azurite runs under a shell that kills it when this process's end of its stdin closes: on a normal exit
        // (ProcessExit closes it) and equally when the test host is killed, so no emulator outlives the test run
        // (SIGTERM, then SIGKILL after 5 s: an Azurite that the chaos run's killed workers left with open connections
        // was seen ignoring SIGTERM and outliving the run).
        var start = new ProcessStartInfo("sh")
        {
            ArgumentList =
            {
                "-c", "node \"$0\" \"$@\" & child=$!; read -r _ || true; kill $child; sleep 5; kill -9 $child 2>/dev/null",
                script, "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl",
                "--blobHost", "127.0.0.1", "--blobPort", "0",
                "--queueHost", "127.0.0.1", "--queuePort", "0",
                "--tableHost", "127.0.0.1", "--tablePort", "0",
            },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("sh did not start.");
        var ports = new ListeningPorts();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) => ports.Read(line.Data);
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                errors.Enqueue(text);
            }
        };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ports.Exited();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            process.StandardInput.Close();
            process.Dispose();
        };
        try
        {
            var (blob, queue, table) = await ports.Listening.WaitAsync(TimeSpan.FromMinutes(1));
            return new Azurite(blob, queue, table);
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"Azurite did not report listening on all three services within a minute (exited: {process.HasExited}). Its stderr: {string.Join(" | ", errors)}",
                exception);
        }
    }

    /// <summary>Reads Azurite's "… service is successfully listening at http://127.0.0.1:PORT" lines until all three services have reported.</summary>
    private sealed partial class ListeningPorts
    {
        private readonly TaskCompletionSource<(int Blob, int Queue, int Table)> _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();
        private int? _blob;
        private int? _queue;
        private int? _table;

        public Task<(int Blob, int Queue, int Table)> Listening => _all.Task;

        public void Read(string? line)
        {
            if (line is null || ListeningLine().Match(line) is not { Success: true } match)
            {
                return;
            }
            var port = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
            lock (_gate)
            {
                switch (match.Groups["service"].Value)
                {
                    case "Blob": _blob = port; break;
                    case "Queue": _queue = port; break;
                    default: _table = port; break;
                }
                if (_blob is { } blob && _queue is { } queue && _table is { } table)
                {
                    _all.TrySetResult((blob, queue, table));
                }
            }
        }

        public void Exited() => _all.TrySetException(new InvalidOperationException("Azurite exited before listening."));

        [System.Text.RegularExpressions.GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(?<port>\d+)")]
        private static partial System.Text.RegularExpressions.Regex ListeningLine();
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Pipeline.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No Pipeline.sln above {AppContext.BaseDirectory}.");
    }
}
