using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Core.Stages.Webhooks;

namespace Pipeline.Core.Http;

/// <summary>Which problem (<see cref="ProblemTypes"/>, docs/integrations.md) answers each webhook refusal; written by <see cref="Problems"/>.</summary>
public static class WebhookProblems
{
    public static ProblemType For(WebhookRefusal refusal) => refusal switch
    {
        WebhookRefusal.MissingHeader => ProblemTypes.WebhookSignatureMissing,
        WebhookRefusal.MalformedHeader => ProblemTypes.WebhookHeaderMalformed,
        WebhookRefusal.StaleTimestamp => ProblemTypes.WebhookTimestampStale,
        WebhookRefusal.BadSignature => ProblemTypes.WebhookSignatureInvalid,
        WebhookRefusal.PayloadTooLarge => ProblemTypes.PayloadTooLarge,
        WebhookRefusal.MalformedJson => ProblemTypes.MalformedJson,
        WebhookRefusal.SchemaViolation => ProblemTypes.SchemaViolation,
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "Unknown refusal."),
    };

    /// <summary>429 with <c>Retry-After</c> (whole seconds, at least 1), for a host's rate limiter.</summary>
    public static async Task WriteRateLimitedAsync(HttpContext context, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(context);
        var seconds = Math.Max(1, (int)Math.Ceiling((retryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.Write(context.Request, ProblemTypes.RateLimited,
            $"This partner has sent more deliveries than its limit allows; retry after {seconds} seconds.").ExecuteAsync(context);
    }
}

/// <summary><c>POST /webhooks/{partner}</c>: reads at most <see cref="ReceiveWebhookHandler.MaxBodyBytes"/> (<see cref="RequestBody"/>) and maps the handler's outcome.</summary>
public sealed class WebhookEndpoints(ReceiveWebhookHandler handler)
{
    public const string Route = "/webhooks/{partner}";

    public async Task<IResult> ReceiveAsync(HttpRequest request, string partner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (body, problem) = await RequestBody.ReadAsync(request, ReceiveWebhookHandler.MaxBodyBytes, ReceiveWebhookHandler.TooLargeDetail, cancellationToken);
        if (body is null)
        {
            return Problems.Write(request, problem!.Type, problem.Detail);
        }
        var outcome = await handler.HandleAsync(partner, Header(request, WebhookSignature.TimestampHeader), Header(request, WebhookSignature.SignatureHeader), body, cancellationToken);
        return outcome switch
        {
            WebhookOutcome.Received received => Responses.Json(Body(received), MediaTypes.Json, cacheSeconds: null,
                received.Count(WebhookItemStatus.Rejected) > 0 ? StatusCodes.Status207MultiStatus : StatusCodes.Status200OK),
            WebhookOutcome.Refused { JsonPointer: { } pointer } refused => SchemaProblem(request, refused.Detail, pointer),
            WebhookOutcome.Refused refused => Problems.Write(request, WebhookProblems.For(refused.Reason), refused.Detail),
            _ => throw new InvalidOperationException("Unknown webhook outcome."),
        };
    }

    /// <summary>The response body: counts, then one result per item in delivery order.</summary>
    public static JsonObject Body(WebhookOutcome.Received received)
    {
        ArgumentNullException.ThrowIfNull(received);
        var items = new JsonArray();
        foreach (var item in received.Items)
        {
            var node = new JsonObject { ["index"] = item.Index, ["status"] = item.Status.ToString().ToLowerInvariant() };
            if (item.EventId is not null)
            {
                node["eventId"] = item.EventId;
            }
            if (item.Reason is not null)
            {
                node["reason"] = item.Reason;
            }
            items.Add(node);
        }
        return new JsonObject
        {
            ["partner"] = received.Partner,
            ["accepted"] = received.Count(WebhookItemStatus.Accepted),
            ["duplicate"] = received.Count(WebhookItemStatus.Duplicate),
            ["rejected"] = received.Count(WebhookItemStatus.Rejected),
            ["items"] = items,
        };
    }

    private static IResult SchemaProblem(HttpRequest request, string detail, string pointer)
    {
        var body = Problems.Body(ProblemTypes.SchemaViolation, detail, request.Path.Value);
        body["pointer"] = pointer;
        return Responses.Json(body, MediaTypes.Problem, cacheSeconds: null, ProblemTypes.SchemaViolation.Status);
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;
}

/// <summary>Registers and maps the webhook endpoint. Expects an <see cref="IPartnerSecrets"/> and an <see cref="Storage.IMessageSender"/> in DI.</summary>
public static class WebhookEndpointExtensions
{
    public static IServiceCollection AddPipelineWebhooks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ReceiveWebhookHandler>();
        services.TryAddSingleton<WebhookEndpoints>();
        return services;
    }

    /// <summary>Maps <c>POST /webhooks/{partner}</c>; the host adds its conventions (rate limiting) to the returned builder.</summary>
    public static RouteHandlerBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.MapPost(WebhookEndpoints.Route, (HttpRequest request, string partner, [FromServices] WebhookEndpoints endpoints, CancellationToken cancellationToken) =>
            endpoints.ReceiveAsync(request, partner, cancellationToken));
    }
}
