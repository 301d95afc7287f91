using System.Collections.Concurrent;
using Pipeline.Core.Catalog;

namespace Pipeline.Core.Stages.Issue;

/// <summary>The unbaked source art of achievements, read once from the catalog folder and kept (a few KB each).</summary>
public sealed class BadgeArt(PipelineCatalog catalog)
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    public byte[] Png(Achievement achievement)
    {
        ArgumentNullException.ThrowIfNull(achievement);
        return Read(achievement.ImagePngPath);
    }

    public byte[] Svg(Achievement achievement)
    {
        ArgumentNullException.ThrowIfNull(achievement);
        return Read(achievement.ImageSvgPath);
    }

    private byte[] Read(string relativePath) =>
        _files.GetOrAdd(relativePath, path => File.ReadAllBytes(catalog.ResolvePath(path)));
}
