using System.Text.RegularExpressions;

namespace Pipeline.Azure.Storage;

/// <summary>
/// Name rules the adapters check before calling Azure, so a bad name is an <see cref="ArgumentException"/> that says
/// what and where (as in the embedded adapters), and key escaping for table keys, which may not hold '/', '\', '#', '?'.
/// </summary>
internal static partial class StorageNames
{
    /// <summary>Containers and queues: 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.</summary>
    public static void ValidateContainerOrQueue(string name, string kind, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!ContainerOrQueueName().IsMatch(name) || name.Contains("--", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"{kind} name \"{name}\": expected 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.",
                parameterName);
        }
    }

    /// <summary>Blob names: relative, '/'-separated segments, none empty, "." or "..", no backslash.</summary>
    public static void ValidateBlobName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var invalid = name.Length == 0
            || name.Length > 1024
            || name.Contains('\\', StringComparison.Ordinal)
            || name[0] == '/'
            || name.Split('/').Any(s => s is "" or "." or "..");
        if (invalid)
        {
            throw new ArgumentException(
                $"Blob name \"{name}\": expected a relative name of '/'-separated segments, none empty, \".\" or \"..\", and no backslash.",
                nameof(name));
        }
    }

    /// <summary>A table key for any string: every character but A-Z a-z 0-9 - . _ ~ percent-encoded (injective, so distinct ids stay distinct).</summary>
    public static string Key(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Uri.EscapeDataString(value);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerOrQueueName();
}
