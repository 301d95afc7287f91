namespace Pipeline.Core.Http.Admin;

/// <summary>Admin routes (no leading slash, like <see cref="PublicRoutes"/>); every one needs <c>Authorization: Bearer</c>.</summary>
public static class AdminRoutes
{
    /// <summary><c>POST</c> <c>{"reason": "…"}</c>: revokes one credential.</summary>
    public const string Revoke = "api/credentials/{id}/revoke";

    /// <summary><c>POST</c> a CSV (<c>credential_id,reason</c>) as <c>text/csv</c> or a multipart field <c>file</c>: revokes each row.</summary>
    public const string BulkRevoke = "api/credentials/revoke";

    /// <summary><c>GET</c>: what a learner has earned and, per achievement, what is met and what is missing.</summary>
    public const string Progress = "api/learners/{learner}/progress";
}
