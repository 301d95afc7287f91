using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Pipeline.Azure.Storage;

namespace Pipeline.Azure.Tests.TestData;

/// <summary>
/// Azurite (the Azure Storage emulator), installed by <c>npm ci --prefix tools/azurite</c>, started once per test run
/// on free ports of 127.0.0.1 with in-memory storage, and stopped when the test process ends (however it ends). Missing azurite is a
/// failure that says what to run, never a skip.
/// </summary>
internal sealed class Azurite
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
        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        // Azurite runs under a shell that kills it when this process's end of its stdin closes: on a normal exit
        // (ProcessExit closes it) and equally when the test host is killed, so no emulator outlives the test run.
        var start = new ProcessStartInfo("sh")
        {
            ArgumentList =
            {
                "-c", "node \"$0\" \"$@\" & child=$!; read -r _ || true; kill $child",
                script, "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl",
                "--blobHost", "127.0.0.1", "--blobPort", $"{blob}",
                "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
            },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("sh did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            process.StandardInput.Close();
            process.Dispose();
        };
        foreach (var port in new[] { blob, queue, table })
        {
            await WaitForListenerAsync(process, port);
        }
        return new Azurite(blob, queue, table);
    }

    private static async Task WaitForListenerAsync(Process process, int port)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening on port {port}.");
            }
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException($"Azurite did not listen on port {port} within a minute.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
