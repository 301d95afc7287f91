namespace Pipeline.Local.Hosting;

/// <summary>
/// The embedded host's data folder (default <c>./.pipeline</c>): <c>pipeline.db</c> (ledgers and queues),
/// <c>blobs/</c> (one folder per container), <c>keys/</c> (issuer JWKs and the subject-id secret, owner-only),
/// <c>outbox/</c> (claim emails as <c>.eml</c>) and <c>catalog/</c> (the catalog in use, unless another is named).
/// </summary>
internal sealed record LocalPaths(string DataFolder, string CatalogFolder)
{
    public const string DefaultDataFolder = ".pipeline";

    /// <summary>
    /// <c>.pipeline</c> at the root of the checkout the command was started in (the current directory or one above it;
    /// <c>Cli/CommonOptions.ResolvePath</c> says why that is where the user typed the command), else in the current folder.
    /// </summary>
    public static string ResolveDefaultDataFolder()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
            {
                return Path.Combine(dir.FullName, DefaultDataFolder);
            }
        }
        return Path.GetFullPath(DefaultDataFolder);
    }

    public static LocalPaths For(string dataFolder, string? catalogFolder = null)
    {
        var data = Path.GetFullPath(dataFolder);
        return new LocalPaths(data, Path.GetFullPath(catalogFolder ?? Path.Combine(data, "catalog")));
    }

    public string Blobs => Path.Combine(DataFolder, "blobs");
    public string Keys => Path.Combine(DataFolder, "keys");
    public string Outbox => Path.Combine(DataFolder, "outbox");
    public string SubjectIdSecret => Path.Combine(Keys, "subject-id.secret");
    /// <summary>Webhook signing secrets, one owner-only file per partner.</summary>
    public string PartnerSecrets => Path.Combine(Keys, "partners");
    public string Inbox => Path.Combine(Blobs, Pipeline.Core.Storage.Containers.SisInbox);
}
