using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Pipeline.Azure.Http;

/// <summary>Turns an error response of a REST service into a <see cref="RequestFailedException"/> that says which call failed, with the service's code and message.</summary>
internal static class ServiceError
{
    public static RequestFailedException From(Response response, string operation)
    {
        string? code = null;
        string? message = null;
        try
        {
            using var json = JsonDocument.Parse(response.Content);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
            }
        }
        catch (JsonException)
        {
            message = response.Content.ToString();
        }
        return new RequestFailedException(
            response.Status,
            $"{operation} failed: HTTP {response.Status}{(code is null ? "" : $" {code}")}: {message ?? response.ReasonPhrase}",
            code,
            null);
    }

    public static void ThrowUnless(Response response, string operation, params int[] expected)
    {
        if (!expected.Contains(response.Status))
        {
            throw From(response, operation);
        }
    }

    public static HttpMessage Json(HttpPipeline pipeline, RequestMethod method, Uri uri, BinaryData? body)
    {
        var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.Add(HttpHeader.Names.Accept, "application/json");
        if (body is not null)
        {
            message.Request.Headers.Add(HttpHeader.Names.ContentType, "application/json");
            message.Request.Content = RequestContent.Create(body);
        }
        return message;
    }
}
