namespace Pipeline.Core.Http.Pages;

/// <summary>The HTML form of a problem (404 for a browser, …).</summary>
internal static class ErrorPage
{
    public static string Render(ProblemType problem, string detail) => Layout.Render(problem.Title, $"""
        <h1>{Html.Text(problem.Title)}</h1>
        <p>{Html.Text(detail)}</p>
        <p>If you followed a link to a badge, check that the whole link was copied.</p>
        """);
}
