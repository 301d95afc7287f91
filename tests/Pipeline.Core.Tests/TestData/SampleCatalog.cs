using Pipeline.Core.Catalog;

namespace Pipeline.Core.Tests.TestData;

/// <summary>samples/catalog, loaded once.</summary>
internal static class SampleCatalog
{
    public static string Folder => Path.Combine(RepositoryPaths.Samples, "catalog");

    public static PipelineCatalog Catalog => Loaded.Value;

    private static readonly Lazy<PipelineCatalog> Loaded = new(() => CatalogLoader.Load(Folder).GetCatalogOrThrow());
}
