using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Storage;

/// <summary>
/// Blobs as files: <c>{root}/{container}/{name}</c>, where a name's '/' are subfolders. A write goes to a temporary
/// file in <c>{root}/.tmp</c> (same volume) and is renamed over the target, so readers see the old or the new
/// content. A blob's content type is the one its container and extension imply (a file put in a container folder by
/// hand, such as a SIS drop, gets it too; the pipeline's own credential and public files are written with the types
/// their containers imply, so they need no sidecar); only a type that differs from it is kept in a sidecar,
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

    /// <summary>The types the pipeline writes its credential and public documents with, where they differ from the extension's.</summary>
    private static readonly Dictionary<(string Container, string Extension), string> ContentTypesByContainer = new()
    {
        [(Containers.Credentials, ".jwt")] = BlobNames.ContentTypes.Jwt,
        [(Containers.Credentials, ".json")] = BlobNames.ContentTypes.VcJson,
        [(Containers.Public, ".jwt")] = BlobNames.ContentTypes.Jwt,
        [(Containers.Public, ".json")] = BlobNames.ContentTypes.LdJson,
    };

    private readonly string _root;
    private readonly string _tempFolder;
    private readonly string _tempPrefix;
    private long _tempCounter;

    public FolderBlobStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        _tempFolder = Path.Combine(_root, TempFolder);
        _tempPrefix = Path.Combine(_tempFolder, RandomNumberGenerator.GetHexString(32, lowercase: true) + "-");
        Directory.CreateDirectory(_root);
    }

    public Task PutAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        cancellationToken.ThrowIfCancellationRequested();
        var path = BlobPath(container, name);
        var sidecar = SidecarPath(container, name);
        if (string.Equals(contentType, ImpliedContentType(container, name), StringComparison.OrdinalIgnoreCase))
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

    /// <summary>
    /// Reads the file synchronously (one open, one length query, reads until end of file): the blobs are small, and
    /// an async read on Linux is a thread-pool hop per call for no overlap.
    /// </summary>
    public Task<BlobContent?> GetAsync(string container, string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = BlobPath(container, name);
        byte[] content;
        try
        {
            content = ReadAll(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<BlobContent?>(null);
        }
        return Task.FromResult<BlobContent?>(new BlobContent(content, ReadContentType(container, name)));
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

    /// <summary>
    /// Renames the file into the target container's folder (one <c>rename</c>, atomic, no copy); its content type
    /// goes first, as a sidecar in the target when the target's implied type differs, and the source's sidecar last.
    /// </summary>
    public Task<bool> MoveAsync(string sourceContainer, string name, string targetContainer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var source = BlobPath(sourceContainer, name);
        var target = BlobPath(targetContainer, name);
        if (!File.Exists(source))
        {
            return Task.FromResult(false);
        }
        var contentType = ReadContentType(sourceContainer, name);
        var targetSidecar = SidecarPath(targetContainer, name);
        if (string.Equals(contentType, ImpliedContentType(targetContainer, name), StringComparison.OrdinalIgnoreCase))
        {
            DeleteIfPresent(targetSidecar);
        }
        else
        {
            WriteAtomically(targetSidecar, Encoding.UTF8.GetBytes(contentType));
        }
        try
        {
            try
            {
                File.Move(source, target, overwrite: true);
            }
            catch (DirectoryNotFoundException) when (File.Exists(source))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(source, target, overwrite: true);
            }
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult(false);
        }
        DeleteIfPresent(SidecarPath(sourceContainer, name));
        return Task.FromResult(true);
    }

    /// <summary>
    /// The sidecar's type, else the extension's. Most blobs have no sidecar, so its existence is asked first (one
    /// <c>stat</c>, no exception); a sidecar deleted between the two calls is a concurrent put of the default type.
    /// </summary>
    private string ReadContentType(string container, string name)
    {
        var sidecar = SidecarPath(container, name);
        if (File.Exists(sidecar))
        {
            try
            {
                return Encoding.UTF8.GetString(ReadAll(sidecar));
            }
            catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
            {
                // Deleted since the check: the put that deleted it wrote the extension's type.
            }
        }
        return ImpliedContentType(container, name);
    }

    private static byte[] ReadAll(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        var length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength)
        {
            throw new IOException($"{path}: {length} bytes is more than a blob read into memory can hold.");
        }
        var content = new byte[length];
        var read = 0;
        while (read < content.Length)
        {
            var n = RandomAccess.Read(handle, content.AsSpan(read), read);
            if (n == 0)
            {
                return content[..read];
            }
            read += n;
        }
        return content;
    }

    private static string ImpliedContentType(string container, string name)
    {
        var extension = Path.GetExtension(name).ToLowerInvariant();
        return ContentTypesByContainer.TryGetValue((container, extension), out var type)
            ? type
            : ContentTypesByExtension.GetValueOrDefault(extension, "application/octet-stream");
    }

    /// <summary>Deletes a sidecar if there is one; most puts have none, so its existence is asked first (one <c>stat</c>).</summary>
    private static void DeleteIfPresent(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Writes a temporary file in <c>.tmp</c> and renames it over <paramref name="path"/>, creating a missing folder
    /// only when a call fails for the lack of it (no existence checks on the common path). Synchronous: the blobs are
    /// small, and an async file write on Linux is a thread-pool hop per call for no overlap. The file is written through
    /// its handle at offset 0 (one <c>pwrite</c>; no stream, so no position query).
    /// </summary>
    private void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var temp = NextTempPath();
        try
        {
            using (var handle = CreateTemp(temp))
            {
                RandomAccess.Write(handle, content, 0);
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

    /// <summary>
    /// A temporary name unique to this store instance (random prefix, then a counter): no random bytes per write, and
    /// two processes sharing the root cannot pick the same name (<see cref="FileMode.CreateNew"/> would fail rather than share).
    /// </summary>
    private string NextTempPath() =>
        string.Concat(_tempPrefix, Interlocked.Increment(ref _tempCounter).ToString("x", CultureInfo.InvariantCulture));

    private SafeFileHandle CreateTemp(string temp)
    {
        try
        {
            return File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(_tempFolder);
            return File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
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
