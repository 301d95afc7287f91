using System.Text.Json;

namespace Pipeline.Core.Catalog.Loading;

/// <summary>A catalog file's value and the catalog-relative file it came from.</summary>
internal sealed record Located<T>(T Value, string File);

/// <summary>Reads the catalog folder's one-object-per-file folders and checks the image paths files name.</summary>
internal sealed class CatalogFolder(string root, List<CatalogError> errors)
{
    /// <summary>Reads every <c>*.json</c> in a folder (ordinal order), and reports duplicate ids naming both files.</summary>
    public Dictionary<string, Located<T>> ReadAll<T>(string folder, Func<CatalogFileReader, JsonElement, T?> read, Func<T, string> id, string what)
        where T : class
    {
        var result = new Dictionary<string, Located<T>>(StringComparer.Ordinal);
        var directory = Path.Combine(root, folder);
        if (!Directory.Exists(directory))
        {
            errors.Add(new CatalogError(CatalogErrorCode.MissingFolder, folder + "/", string.Empty, $"missing {folder} folder",
                $"a folder {folder}/ with one {what} per .json file", "nothing"));
            return result;
        }
        foreach (var path in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var file = folder + "/" + Path.GetFileName(path);
            var reader = new CatalogFileReader(file, errors);
            using var document = reader.Parse(path);
            if (document is null || read(reader, document.RootElement) is not { } value)
            {
                continue;
            }
            var key = id(value);
            if (result.TryGetValue(key, out var first))
            {
                reader.Report(CatalogErrorCode.DuplicateId, "/id", $"duplicate {what} id \"{key}\", also defined in {first.File}",
                    $"an id used by no other {what}", $"\"{key}\" (in {first.File} and {file})");
                continue;
            }
            result[key] = new Located<T>(value, file);
        }
        return result;
    }

    /// <summary>A catalog-relative image path: inside the folder, with an expected extension, and present on disk.</summary>
    public string? CheckImage(CatalogFileReader reader, string relative, string pointer, params string[] extensions)
    {
        var normalised = relative.Replace('\\', '/');
        var full = Path.GetFullPath(Path.Combine(root, normalised));
        var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (Path.IsPathRooted(normalised) || !full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            reader.Report(CatalogErrorCode.InvalidValue, pointer, "image path leaves the catalog folder",
                "a path relative to the catalog folder, like \"images/badge.png\"", $"\"{relative}\"");
            return null;
        }
        if (!extensions.Any(e => normalised.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            reader.Report(CatalogErrorCode.InvalidValue, pointer, "wrong image type",
                "a file ending " + string.Join(" or ", extensions), $"\"{relative}\"");
            return null;
        }
        if (!File.Exists(full))
        {
            reader.Report(CatalogErrorCode.MissingImage, pointer, "image file not found",
                $"a file at {normalised} in the catalog folder", "no such file");
            return null;
        }
        return normalised;
    }
}
