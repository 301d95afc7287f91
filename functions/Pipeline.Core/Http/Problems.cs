using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Pipeline.Core.Http.Pages;

namespace Pipeline.Core.Http;

/// <summary>A kind of problem: its stable <c>type</c> URI, title and HTTP status (RFC 9457 §3.1); each is declared once, in <see cref="ProblemTypes"/>.</summary>
public sealed record ProblemType(string Type, string Title, int Status)
{
    /// <summary>The prefix of every problem type: a URN, so it stays stable whatever host serves it.</summary>
    public const string Prefix = "urn:credential-pipeline:problem:";
}

/// <summary>
/// The one place HTTP errors are written: RFC 9457 problem details (<c>application/problem+json</c> with
/// <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>, <c>instance</c>), or the HTML error page when a browser asks.
/// Details are written for people and never carry exception text or stack traces.
/// </summary>
public static class Problems
{
    public static IResult NotFound(HttpRequest request, string detail) => Write(request, ProblemTypes.NotFound, detail);

    public static IResult Unavailable(HttpRequest request, string detail) => Write(request, ProblemTypes.Unavailable, detail);

    public static IResult Write(HttpRequest request, ProblemType problem, string detail)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(problem);
        if (ContentNegotiation.PrefersHtml(request, MediaTypes.Problem))
        {
            return Responses.Page(ErrorPage.Render(problem, detail), problem.Status);
        }
        return Responses.Json(Body(problem, detail, request.Path.Value), MediaTypes.Problem, cacheSeconds: null, problem.Status);
    }

    /// <summary>The problem details object.</summary>
    public static JsonObject Body(ProblemType problem, string detail, string? instance)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var body = new JsonObject
        {
            ["type"] = problem.Type,
            ["title"] = problem.Title,
            ["status"] = problem.Status,
            ["detail"] = detail,
        };
        if (!string.IsNullOrEmpty(instance))
        {
            body["instance"] = instance;
        }
        return body;
    }
}
