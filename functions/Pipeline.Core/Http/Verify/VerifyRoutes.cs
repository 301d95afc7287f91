namespace Pipeline.Core.Http.Verify;

/// <summary>Routes of verification by upload (no leading slash, like <see cref="PublicRoutes"/>).</summary>
public static class VerifyRoutes
{
    /// <summary><c>POST</c>: JSON verdict and checks.</summary>
    public const string Api = "api/verify";

    /// <summary><c>POST</c> (multipart form of the verification page): the verification page for the uploaded badge.</summary>
    public const string Page = "credentials/verify";
}
