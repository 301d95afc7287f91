using System.Security.Cryptography;

namespace Pipeline.Local.Hosting;

/// <summary>A random secret kept in a file readable by its owner only, created on first use and never rewritten.</summary>
internal static class SecretFile
{
    public static async Task<byte[]> ReadOrCreateAsync(string path, int length, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            var existing = await File.ReadAllBytesAsync(path, cancellationToken);
            return existing.Length >= length
                ? existing
                : throw new InvalidDataException($"{path} holds {existing.Length} bytes; a secret of at least {length} bytes was expected. Restore it from a backup: credentials already issued depend on it.");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secret = RandomNumberGenerator.GetBytes(length);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            await using var stream = new FileStream(path, options);
            await stream.WriteAsync(secret, cancellationToken);
        }
        catch (IOException) when (File.Exists(path))
        {
            return await ReadOrCreateAsync(path, length, cancellationToken);
        }
        return secret;
    }
}
