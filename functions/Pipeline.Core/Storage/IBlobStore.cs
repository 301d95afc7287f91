namespace Pipeline.Core.Storage;

/// <summary>
/// The blob port: containers of named blobs (design, Storage layout). Writes replace atomically (a reader sees
/// the old or the new content, never a mix); names may contain '/'.
/// </summary>
public interface IBlobStore
{
    Task PutAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);

    /// <summary>The whole blob, or null when it does not exist.</summary>
    Task<BlobContent?> GetAsync(string container, string name, CancellationToken cancellationToken);

    /// <summary>A stream over the blob for reading large content without loading it; null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string container, string name, CancellationToken cancellationToken);

    IAsyncEnumerable<string> ListAsync(string container, CancellationToken cancellationToken);

    /// <summary>True when a blob was deleted, false when there was none.</summary>
    Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a blob to <paramref name="targetContainer"/> under the same name, with its content type, replacing one
    /// there, without the content passing through this process (a SIS export can be hundreds of megabytes). True when
    /// it was moved, false when <paramref name="sourceContainer"/> held no such blob. A crash part-way leaves the blob in
    /// the source, or in both: a retried move finishes it.
    /// </summary>
    Task<bool> MoveAsync(string sourceContainer, string name, string targetContainer, CancellationToken cancellationToken);
}

public sealed record BlobContent(ReadOnlyMemory<byte> Content, string ContentType);

/// <summary>Container names, the same in both adapter sets.</summary>
public static class Containers
{
    public const string SisInbox = "sis-inbox";
    public const string SisProcessed = "sis-processed";
    public const string SisReports = "sis-reports";
    public const string Credentials = "credentials";
    public const string Public = "public";
}
