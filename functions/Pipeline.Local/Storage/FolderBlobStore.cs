using System.Security.Cryptography;
using System.Text;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Storage;

/// <summary>
/// Blobs as files: <c>{root}/{container}/{name}</c>, where a name's '/' are subfolders. A write goes to a temporary
/// file in <c>{root}/.tmp</c> (same volume) and is renamed over the target, so readers see the old or the new
/// content. The content type is kept in a sidecar, <c>{root}/.content-types/{container}/{name}</c>, written before
/// the content; a file put in a container folder by hand (a SIS drop) has none, and gets a type from its extension.
/// Container names cannot start with '.', so the two service folders never collide with a container. Names with
/// '..', '.' or empty segments, backslashes or a leading '/' are rejected.
/// </summary>
internal sealed class FolderBlobStore : IBlobStore
{
    private const string TempFolder = ".tmp";
    private const string ContentTypesFolder = ".content-types";

    private static readonly Dictionary<string, string> ContentTypesByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".csv"] = "text/csv",
        [".json"] = "application/json",
        [".jsonld"] = "application/ld+json",
        [".jwt"] = "application/jwt",
        [".png"] = "image/png",
        [".svg"] = "image/svg+xml",
        [".html"] = "text/html",
        [".txt"] = "text/plain",
    };

    private readonly string _root;

    public FolderBlobStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public async Task PutAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        var path = BlobPath(container, name);
        await WriteAtomicallyAsync(SidecarPath(container, name), Encoding.UTF8.GetBytes(contentType), cancellationToken);
        await WriteAtomicallyAsync(path, content, cancellationToken);
    }

    public async Task<BlobContent?> GetAsync(string container, string name, CancellationToken cancellationToken)
    {
        var path = BlobPath(container, name);
        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        return new BlobContent(content, await ReadContentTypeAsync(container, name, cancellationToken));
    }

    public Task<Stream?> OpenReadAsync(string container, string name, CancellationToken cancellationToken)
    {
        var path = BlobPath(container, name);
        try
        {
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    /// <summary>The container's blob names in ordinal order (as Azure lists them), with '/' between folders.</summary>
    public IAsyncEnumerable<string> ListAsync(string container, CancellationToken cancellationToken)
    {
        var folder = ContainerPath(container);
        IEnumerable<string> names = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Select(file => Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        return names.ToAsyncEnumerable();
    }

    public Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken)
    {
        var path = BlobPath(container, name);
        var existed = File.Exists(path);
        if (existed)
        {
            File.Delete(path);
        }
        var sidecar = SidecarPath(container, name);
        if (File.Exists(sidecar))
        {
            File.Delete(sidecar);
        }
        return Task.FromResult(existed);
    }

    private async Task<string> ReadContentTypeAsync(string container, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(SidecarPath(container, name), Encoding.UTF8, cancellationToken);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return ContentTypesByExtension.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
        }
    }

    private async Task WriteAtomicallyAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var tempFolder = Path.Combine(_root, TempFolder);
        Directory.CreateDirectory(tempFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = Path.Combine(tempFolder, RandomNumberGenerator.GetHexString(32, lowercase: true));
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await stream.WriteAsync(content, cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private string ContainerPath(string container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var valid = container.Length is >= 3 and <= 63
            && container.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
            && container[0] != '-' && container[^1] != '-'
            && !container.Contains("--", StringComparison.Ordinal);
        if (!valid)
        {
            throw new ArgumentException(
                $"Container name \"{container}\": expected 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.",
                nameof(container));
        }
        return Path.Combine(_root, container);
    }

    private string BlobPath(string container, string name) => Path.Combine(ContainerPath(container), Path.Combine(Segments(name)));

    private string SidecarPath(string container, string name) =>
        Path.Combine(_root, ContentTypesFolder, Path.GetFileName(ContainerPath(container)), Path.Combine(Segments(name)));

    private static string[] Segments(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var segments = name.Split('/');
        var invalid = name.Length == 0
            || name.Contains('\\', StringComparison.Ordinal)
            || Path.IsPathRooted(name)
            || segments.Any(s => s is "" or "." or "..");
        if (invalid)
        {
            throw new ArgumentException(
                $"Blob name \"{name}\": expected a relative name of '/'-separated segments, none empty, \".\" or \"..\", and no backslash.",
                nameof(name));
        }
        return segments;
    }
}
