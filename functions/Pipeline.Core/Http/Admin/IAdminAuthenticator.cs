namespace Pipeline.Core.Http.Admin;

/// <summary>
/// Who is calling an admin endpoint. The embedded host checks hashed API keys; a cloud host can check an Entra ID
/// token instead. A platform key (e.g. an Azure Functions key) is never an admin credential.
/// </summary>
public interface IAdminAuthenticator
{
    /// <summary>The actor name recorded in the audit log for this bearer token, or null when it is not a valid admin credential.</summary>
    ValueTask<string?> AuthenticateAsync(string bearerToken, CancellationToken cancellationToken);
}
