using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Pipeline.Functions.Functions;

/// <summary>Runs a minimal-API <see cref="IResult"/> (what <see cref="Core.Http.PublicEndpoints"/> returns) as the function's MVC action result.</summary>
internal sealed class ResultAction(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return result.ExecuteAsync(context.HttpContext);
    }
}
