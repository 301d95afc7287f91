using System.Text.Json.Nodes;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Json;

namespace Pipeline.Local.Demo;

/// <summary>
/// Writes the sample catalog (shipped beside the app in <c>samples/catalog</c>) into a data folder, with every
/// issuer's public base URL set to where <c>serve</c> will answer, so the demo's links open.
/// </summary>
internal static class SampleCatalogInstaller
{
    public static string ShippedCatalog => Path.Combine(AppContext.BaseDirectory, "samples", "catalog");

    /// <summary>True when it wrote the catalog; false when the folder already held one (kept as it is).</summary>
    public static bool EnsureInstalled(string catalogFolder, Uri publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        if (Directory.Exists(Path.Combine(catalogFolder, CatalogLoader.IssuersFolder)))
        {
            return false;
        }
        foreach (var source in Directory.EnumerateFiles(ShippedCatalog, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(catalogFolder, Path.GetRelativePath(ShippedCatalog, source));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target, overwrite: true);
        }
        foreach (var issuerFile in Directory.EnumerateFiles(Path.Combine(catalogFolder, CatalogLoader.IssuersFolder), "*.json"))
        {
            var issuer = JsonNode.Parse(File.ReadAllText(issuerFile))!.AsObject();
            issuer["publicBaseUrl"] = publicBaseUrl.AbsoluteUri;
            File.WriteAllBytes(issuerFile, DocumentJson.ToUtf8(issuer));
        }
        return true;
    }
}
