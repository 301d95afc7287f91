using Pipeline.Core.Catalog;
using Pipeline.Core.Signing;
using Pipeline.Core.Stages.Issue;
using Pipeline.Local.Storage;

namespace Pipeline.Local.Hosting;

/// <summary>
/// What the embedded host opens before it starts: the catalog (every error at once, or nothing runs), the SQLite
/// file, the issuers' keys (created on first run) and the subject-id secret.
/// </summary>
internal sealed class PipelineRuntime : IDisposable
{
    private PipelineRuntime(LocalPaths paths, PipelineCatalog catalog, SqliteDatabase database, LocalJwkSigner signer, IssuanceSecrets secrets)
    {
        Paths = paths;
        Catalog = catalog;
        Database = database;
        Signer = signer;
        Secrets = secrets;
    }

    public LocalPaths Paths { get; }
    public PipelineCatalog Catalog { get; }
    public SqliteDatabase Database { get; }
    public LocalJwkSigner Signer { get; }
    public IssuanceSecrets Secrets { get; }

    /// <exception cref="CatalogException">The catalog has errors; each names its file and JSON pointer.</exception>
    public static async Task<PipelineRuntime> OpenAsync(LocalPaths paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var catalog = CatalogLoader.Load(paths.CatalogFolder).GetCatalogOrThrow();
        Directory.CreateDirectory(paths.DataFolder);
        var database = await SqliteDatabase.OpenAsync(paths.DataFolder, cancellationToken);
        var signer = new LocalJwkSigner(paths.Keys);
        try
        {
            foreach (var issuer in catalog.Issuers.Values)
            {
                await signer.EnsureKeyAsync(issuer.Key, cancellationToken);
            }
            var secret = await SecretFile.ReadOrCreateAsync(paths.SubjectIdSecret, 32, cancellationToken);
            return new PipelineRuntime(paths, catalog, database, signer, new IssuanceSecrets(secret));
        }
        catch
        {
            signer.Dispose();
            database.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Signer.Dispose();
        Database.Dispose();
    }
}
