using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Core.Baking;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Verification;
using Pipeline.Core.Http.Verify;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Stages.Revoke;
using Pipeline.Core.Stages.Webhooks;
using Pipeline.Core.Storage;

namespace Pipeline.Fuzz;

/// <summary>
/// One target per parser that reads hostile input. A target returns normally for any input, valid or not (invalid
/// input is an expected outcome, a value); an exception escaping it is a crash that afl-fuzz records.
/// </summary>
internal static class FuzzTargets
{
    public static IReadOnlyDictionary<string, Action<Stream>> All { get; } = new Dictionary<string, Action<Stream>>(StringComparer.Ordinal)
    {
        ["csv"] = Csv,
        ["png"] = stream => PngBakery.Unbake(ReadAll(stream)),
        ["svg"] = stream => SvgBakery.Unbake(ReadAll(stream)),
        ["jwt"] = Jwt,
        ["webhook"] = Webhook,
        ["verify-input"] = VerifyInput,
        ["revoke-csv"] = stream => BulkRevocationFile.ReadAsync(ReadAll(stream), CancellationToken.None).GetAwaiter().GetResult(),
    };

    /// <summary>The request body types <see cref="VerificationInputReader"/> reads; the first input byte picks one.</summary>
    private static readonly string[] VerifyContentTypes =
    [
        "application/json",
        "image/png",
        "image/svg+xml",
        "multipart/form-data; boundary=fuzz",
        "application/x-www-form-urlencoded",
        "text/plain",
    ];

    /// <summary>
    /// What <c>POST /api/verify</c> reads from a request (<see cref="VerificationInputReader.ReadAsync"/>) over an
    /// in-memory request, no server: byte 0 picks the content type (JSON, PNG, SVG, multipart with the boundary
    /// <c>fuzz</c>, a URL-encoded form, text), the rest is the body.
    /// </summary>
    private static void VerifyInput(Stream stream)
    {
        var input = ReadAll(stream);
        if (input.Length == 0)
        {
            return;
        }
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = VerifyContentTypes[input[0] % VerifyContentTypes.Length];
        context.Request.ContentLength = input.Length - 1;
        context.Request.Body = new MemoryStream(input, 1, input.Length - 1, writable: false);
        VerificationInputReader.ReadAsync(context.Request, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>The webhook partners of the sample catalog, one per payload shape; the first input byte picks one.</summary>
    private static readonly string[] WebhookPartners = ["northwind-bootcamp", "arizona-lms", "umaine-moodle"];

    private static readonly Lazy<ReceiveWebhookHandler> WebhookHandler = new(() => new ReceiveWebhookHandler(
        CatalogLoader.Load(Path.Combine(AppContext.BaseDirectory, "catalog")).GetCatalogOrThrow(),
        new OneSecret(), DiscardedMessages.Instance, new FixedTime(), NullLogger<ReceiveWebhookHandler>.Instance));

    /// <summary>
    /// The webhook handler, signature included, over a body of one of the three shapes (pipeline, Caliper, Moodle):
    /// byte 0 picks the partner, the rest is the body, signed with the partner's secret so the JSON parsing,
    /// schema check and payload mapping behind the signature are what is fuzzed.
    /// </summary>
    private static void Webhook(Stream stream)
    {
        var input = ReadAll(stream);
        if (input.Length == 0)
        {
            return;
        }
        var body = input.AsMemory(1);
        var timestamp = FixedTime.Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = WebhookSignature.Compute(OneSecret.Value, timestamp, body.Span);
        WebhookHandler.Value.HandleAsync(WebhookPartners[input[0] % WebhookPartners.Length], timestamp, signature, body, CancellationToken.None)
            .GetAwaiter().GetResult();
    }

    // Lazy: instrumented code must not run before SharpFuzz has set up the coverage map (Fuzzer.OutOfProcess.Run).
    private static readonly Lazy<IReadOnlyList<SisColumnMap>> Maps = new(LoadMaps);

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The SIS ingest reader over the sample catalog's maps, as a dry run (nothing is sent).</summary>
    private static void Csv(Stream stream)
    {
        var blobs = new SingleBlob(ReadAll(stream));
        var handler = new IngestSisFileHandler(blobs, NoMessages.Instance,
            new SisIngestOptions { Maps = Maps.Value, IsKnownActivity = _ => true }, TimeProvider.System, NullLogger<IngestSisFileHandler>.Instance);
        Drain(handler.DryRunAsync(Containers.SisInbox, "generic/fuzz.csv", CancellationToken.None)).GetAwaiter().GetResult();
    }

    private static async Task Drain(IAsyncEnumerable<SisRowResult> rows)
    {
        await foreach (var row in rows)
        {
            GC.KeepAlive(row);
        }
    }

    /// <summary>The verifier over arbitrary text, with a JWKS resolver holding one RSA key.</summary>
    private static void Jwt(Stream stream)
    {
        var text = Encoding.UTF8.GetString(ReadAll(stream));
        var verifier = new CredentialVerifier(Resolver.Value, TimeProvider.System);
        verifier.VerifyAsync(text, null, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static readonly Lazy<JwksKeyResolver> Resolver = new(CreateResolver);

    private static JwksKeyResolver CreateResolver()
    {
        using var rsa = RSA.Create(2048);
        var key = rsa.ExportParameters(includePrivateParameters: false);
        return new JwksKeyResolver(new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["kid"] = "fuzz",
                ["alg"] = "RS256",
                ["use"] = "sig",
                ["n"] = Base64Url.EncodeToString(key.Modulus),
                ["e"] = Base64Url.EncodeToString(key.Exponent),
            }),
        }, publisher: "https://fuzz.example/issuer");
    }

    private static IReadOnlyList<SisColumnMap> LoadMaps()
    {
        var catalogFolder = Path.Combine(AppContext.BaseDirectory, "catalog");
        return CatalogLoader.Load(catalogFolder).GetCatalogOrThrow().SisMaps;
    }

    private sealed class SingleBlob(byte[] content) : IBlobStore
    {
        public Task PutAsync(string container, string name, ReadOnlyMemory<byte> value, string contentType, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The fuzz target writes nothing.");

        public Task<BlobContent?> GetAsync(string container, string name, CancellationToken cancellationToken) =>
            Task.FromResult<BlobContent?>(new BlobContent(content, "text/csv"));

        public Task<Stream?> OpenReadAsync(string container, string name, CancellationToken cancellationToken) =>
            Task.FromResult<Stream?>(new MemoryStream(content, writable: false));

        public async IAsyncEnumerable<string> ListAsync(string container, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield return "generic/fuzz.csv";
        }

        public Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The fuzz target deletes nothing.");

        public Task<bool> MoveAsync(string sourceContainer, string name, string targetContainer, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The fuzz target moves nothing.");
    }

    private sealed class OneSecret : IPartnerSecrets
    {
        public const string Value = "whsec_fuzz";

        public Task<IReadOnlyList<PartnerSecret>> GetActiveAsync(string partnerId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<PartnerSecret>>([new PartnerSecret(Value, DateTimeOffset.UnixEpoch)]);
    }

    private sealed class FixedTime : TimeProvider
    {
        public static readonly DateTimeOffset Now = new(2026, 12, 18, 17, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>Accepts what the webhook handler sends and drops it.</summary>
    private sealed class DiscardedMessages : IMessageSender
    {
        public static readonly DiscardedMessages Instance = new();

        public Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class NoMessages : IMessageSender
    {
        public static readonly NoMessages Instance = new();

        public Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A dry run sends no messages.");

        public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A dry run sends no messages.");
    }
}
