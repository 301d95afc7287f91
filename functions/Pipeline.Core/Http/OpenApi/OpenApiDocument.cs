using Microsoft.AspNetCore.Http;

namespace Pipeline.Core.Http.OpenApi;

/// <summary><c>GET /openapi.json</c>: the hand-written OpenAPI 3.1 description of the verification and admin API, embedded in Core.</summary>
public static class OpenApiDocument
{
    public const string Route = "openapi.json";
    public const string ResourceName = "Pipeline.Core.Http.OpenApi.openapi.json";

    private static readonly Lazy<byte[]> Content = new(() =>
    {
        using var stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

    public static IResult Get() => Responses.Bytes(Content.Value, MediaTypes.Json, Responses.ShortCacheSeconds);
}
