using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Functions.Tests.Grpc.Messages;

namespace Pipeline.Functions.Tests.Grpc;

/// <summary>
/// A stand-in for the Functions host, driving the built worker the way the host does: it serves the
/// <c>FunctionRpc.EventStream</c> gRPC service on 127.0.0.1, starts <c>dotnet Pipeline.Functions.dll</c> with the
/// host's command line and environment, and exchanges the host's messages with it. Every wait is bounded by
/// <see cref="Timeout"/>; disposing kills the worker and stops the server.
/// </summary>
internal sealed class TestFunctionsHost : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private readonly WebApplication server;
    private readonly WorkerStream stream;
    private readonly Process worker;
    private readonly List<string> output = [];

    private TestFunctionsHost(WebApplication server, WorkerStream stream, Process worker)
    {
        (this.server, this.stream, this.worker) = (server, stream, worker);
    }

    public string WorkerId { get; } = $"worker-{Environment.ProcessId}";

    /// <summary>The worker's RpcLog messages and its console output, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (output)
            {
                return string.Join('\n', output.Concat(stream.Logs));
            }
        }
    }

    /// <summary>Starts the gRPC server and the worker process from <paramref name="appFolder"/> with the app settings as environment variables.</summary>
    public static async Task<TestFunctionsHost> StartAsync(string appFolder, IReadOnlyDictionary<string, string> appSettings)
    {
        var stream = new WorkerStream();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(options => options.MaxReceiveMessageSize = null);
        builder.Services.AddSingleton(stream);
        var server = builder.Build();
        server.MapGrpcService<FunctionRpcService>();
        await server.StartAsync();
        var port = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;

        var requestId = $"start-{port}";
        var workerId = $"worker-{Environment.ProcessId}";
        // The host's command line for a dotnet-isolated worker: the legacy arguments and their functions-* successors.
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(appFolder, "Pipeline.Functions.dll"),
                "--host", "127.0.0.1", "--port", $"{port}", "--workerId", workerId, "--requestId", requestId,
                "--grpcMaxMessageLength", $"{int.MaxValue}",
                "--functions-uri", $"http://127.0.0.1:{port}/", "--functions-worker-id", workerId,
                "--functions-request-id", requestId, "--functions-grpc-max-message-length", $"{int.MaxValue}",
            },
            WorkingDirectory = appFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = appFolder;
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appFolder;
        foreach (var (name, value) in appSettings)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var host = new TestFunctionsHost(server, stream, process);
        process.OutputDataReceived += (_, line) => host.Record(line.Data);
        process.ErrorDataReceived += (_, line) => host.Record(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits for the worker's StartStream and returns its worker id.</summary>
    public async Task<StartStream> WaitForStartStreamAsync() =>
        (await ReceiveAsync(m => m.ContentCase == StreamingMessage.ContentOneofCase.StartStream)).StartStream;

    /// <summary>Sends <paramref name="message"/> and waits for the worker's reply that <paramref name="isReply"/> accepts.</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage message, Func<StreamingMessage, bool> isReply)
    {
        await stream.SendAsync(message).WaitAsync(Timeout);
        return await ReceiveAsync(isReply);
    }

    public Task SendAsync(StreamingMessage message) => stream.SendAsync(message).WaitAsync(Timeout);

    public async Task<StreamingMessage> ReceiveAsync(Func<StreamingMessage, bool> accept)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            while (true)
            {
                var message = await stream.Inbound.Reader.ReadAsync(timeout.Token);
                if (accept(message))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No expected message from the worker within {Timeout.TotalSeconds} s (worker exited: {worker.HasExited}). Worker log:\n{Log}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The worker closed its stream. Worker log:\n{Log}");
        }
    }

    /// <summary>The host's binding info from a worker-indexed function's raw binding JSON.</summary>
    public static (string Name, BindingInfo Info) ToBindingInfo(string rawBinding)
    {
        var binding = JsonNode.Parse(rawBinding)!.AsObject();
        var info = new BindingInfo
        {
            Type = (string)binding["type"]!,
            Direction = ((string?)binding["direction"])?.ToUpperInvariant() switch
            {
                "OUT" => BindingInfo.Types.Direction.Out,
                "INOUT" => BindingInfo.Types.Direction.Inout,
                _ => BindingInfo.Types.Direction.In,
            },
            DataType = ((string?)binding["dataType"])?.ToUpperInvariant() switch
            {
                "STRING" => BindingInfo.Types.DataType.String,
                "BINARY" => BindingInfo.Types.DataType.Binary,
                "STREAM" => BindingInfo.Types.DataType.Stream,
                _ => BindingInfo.Types.DataType.Undefined,
            },
        };
        return ((string)binding["name"]!, info);
    }

    public async ValueTask DisposeAsync()
    {
        if (!worker.HasExited)
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync().WaitAsync(Timeout);
        }
        worker.Dispose();
        stream.Complete();
        await server.StopAsync();
        await server.DisposeAsync();
        stream.Dispose();
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.Add(line);
            }
        }
    }

    /// <summary>The one event stream the worker opens: inbound messages in a channel, outbound written to its response stream.</summary>
    internal sealed class WorkerStream : IDisposable
    {
        private readonly TaskCompletionSource<IServerStreamWriter<StreamingMessage>> writer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly SemaphoreSlim writeLock = new(1, 1);
        private readonly CancellationTokenSource closed = new();
        private readonly List<string> logs = [];

        public Channel<StreamingMessage> Inbound { get; } = Channel.CreateUnbounded<StreamingMessage>();

        public IReadOnlyList<string> Logs
        {
            get
            {
                lock (logs)
                {
                    return [.. logs];
                }
            }
        }

        public async Task RunAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
        {
            writer.TrySetResult(responses);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, closed.Token);
            try
            {
                await foreach (var message in requests.ReadAllAsync(stop.Token))
                {
                    if (message.ContentCase == StreamingMessage.ContentOneofCase.RpcLog)
                    {
                        lock (logs)
                        {
                            logs.Add($"[{message.RpcLog.Level}] {message.RpcLog.Category}: {message.RpcLog.Message} {message.RpcLog.Exception?.Message}");
                        }
                        continue;
                    }
                    await Inbound.Writer.WriteAsync(message, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The host ends the stream when the test is done.
            }
            Inbound.Writer.TryComplete();
        }

        public async Task SendAsync(StreamingMessage message)
        {
            var responses = await writer.Task;
            await writeLock.WaitAsync();
            try
            {
                await responses.WriteAsync(message);
            }
            finally
            {
                writeLock.Release();
            }
        }

        public void Complete() => closed.Cancel();

        public void Dispose()
        {
            closed.Dispose();
            writeLock.Dispose();
        }
    }

    private sealed class FunctionRpcService(WorkerStream stream) : FunctionRpc.FunctionRpcBase
    {
        public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
            stream.RunAsync(requestStream, responseStream, context.CancellationToken);
    }
}
