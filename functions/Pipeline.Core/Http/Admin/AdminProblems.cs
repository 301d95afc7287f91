using Microsoft.AspNetCore.Http;

namespace Pipeline.Core.Http.Admin;

/// <summary>The problem types of the admin API (RFC 9457 through <see cref="Problems"/>).</summary>
public static class AdminProblems
{
    public static readonly ProblemType Unauthorized = new(ProblemType.Prefix + "unauthorized", "Admin credential required", StatusCodes.Status401Unauthorized);
    public static readonly ProblemType InvalidRequest = new(ProblemType.Prefix + "invalid-request", "Invalid request", StatusCodes.Status400BadRequest);
    public static readonly ProblemType NotIssued = new(ProblemType.Prefix + "not-issued", "Not issued yet", StatusCodes.Status409Conflict);
}
