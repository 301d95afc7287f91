using Microsoft.AspNetCore.Http;

namespace Pipeline.Core.Http.Admin;

/// <summary>The problem types of the admin API (RFC 9457 through <see cref="Problems"/>).</summary>
public static class AdminProblems
{
    public static readonly ProblemType Unauthorized = new(ProblemType.Prefix + "unauthorized", "Admin credential required", StatusCodes.Status401Unauthorized);
    public static readonly ProblemType InvalidRequest = new(ProblemType.Prefix + "invalid-request", "Invalid request", StatusCodes.Status400BadRequest);
    /// <summary>A bulk revocation file with rows that cannot be read or are invalid: nothing was revoked; the problem's <c>rows</c> name each.</summary>
    public static readonly ProblemType InvalidRows = new(ProblemType.Prefix + "invalid-rows", "Rows to fix before anything is revoked", StatusCodes.Status400BadRequest);
    public static readonly ProblemType NotIssued = new(ProblemType.Prefix + "not-issued", "Not issued yet", StatusCodes.Status409Conflict);
}
