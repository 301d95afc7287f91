using System.Security.Cryptography;
using System.Text;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Storage;

/// <summary>
/// Blobs as files: <c>{root}/{container}/{name}</c>, where a name's '/' are subfolders. A write goes to a temporary
/// file in <c>{root}/.tmp</c> (same volume) and is renamed over the target, so readers see the old or the new
/// content. A blob's content type is the one its extension implies (a file put in a container folder by hand, such as
/// a SIS drop, gets it too); only a type that differs from it is kept in a sidecar,
/// <c>{root}/.content-types/{container}/{name}</c>, written before the content. A missing folder is created
/// when a write fails for the lack of it, so a write is one create, one write and one rename (no fsync: a commit of the pipeline survives a
/// process crash, as SQLite's <c>synchronous=NORMAL</c> does).
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
    private readonly string _tempFolder;

    public FolderBlobStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        _tempFolder = Path.Combine(_root, TempFolder);
        Directory.CreateDirectory(_root);
    }

    public Task PutAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        cancellationToken.ThrowIfCancellationRequested();
        var path = BlobPath(container, name);
        var sidecar = SidecarPath(container, name);
        if (string.Equals(contentType, ContentTypeOfExtension(name), StringComparison.OrdinalIgnoreCase))
        {
            DeleteIfPresent(sidecar);
        }
        else
        {
            WriteAtomically(sidecar, Encoding.UTF8.GetBytes(contentType));
        }
        WriteAtomically(path, content.Span);
        return Task.CompletedTask;
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
            return ContentTypeOfExtension(name);
        }
    }

    private static string ContentTypeOfExtension(string name) =>
        ContentTypesByExtension.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");

    private static void DeleteIfPresent(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // No sidecar folder, so no sidecar.
        }
    }

    /// <summary>
    /// Writes a temporary file in <c>.tmp</c> and renames it over <paramref name="path"/>, creating a missing folder
    /// only when a call fails for the lack of it (no existence checks on the common path). Synchronous: the blobs are
    /// small, and an async file write on Linux is a thread-pool hop per call for no overlap.
    /// </summary>
    private void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var temp = Path.Combine(_tempFolder, RandomNumberGenerator.GetHexString(32, lowercase: true));
        try
        {
            using (var stream = CreateTemp(temp))
            {
                stream.Write(content);
            }
            try
            {
                File.Move(temp, path, overwrite: true);
            }
            catch (DirectoryNotFoundException)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.Move(temp, path, overwrite: true);
            }
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private FileStream CreateTemp(string temp)
    {
        try
        {
            return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(_tempFolder);
            return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
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
