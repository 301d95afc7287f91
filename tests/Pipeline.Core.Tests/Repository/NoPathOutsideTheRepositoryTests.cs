using System.Text.RegularExpressions;
using System.Xml.Linq;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Repository;

/// <summary>
/// A plain clone has nothing beside it: no source, test or build file may reach outside the repository (as the tests
/// once did for <c>../shared/standards</c>; the data now lives in <c>standards/</c>).
/// </summary>
public sealed partial class NoPathOutsideTheRepositoryTests
{
    private static readonly string[] Folders = ["functions", "tests", "bench", "tools", ".ci"];

    private static IEnumerable<string> Files(params string[] extensions) =>
        Folders.Select(f => Path.Combine(RepositoryPaths.Root, f))
            .Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories))
            .Where(f => !IsBuildOutput(f) && (extensions.Length == 0 || extensions.Contains(Path.GetExtension(f), StringComparer.Ordinal)));

    private static bool IsBuildOutput(string file) =>
        Path.GetRelativePath(RepositoryPaths.Root, file).Split(Path.DirectorySeparatorChar)
            .Any(s => s is "bin" or "obj" or "node_modules" or "findings" or "corpus" or "TestResults");

    private static string Relative(string file) => Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/');

    [Fact]
    public void No_code_or_script_names_the_folder_beside_the_checkout()
    {
        var self = Path.Combine("tests", "Pipeline.Core.Tests", "Repository", nameof(NoPathOutsideTheRepositoryTests) + ".cs");
        var offenders = Files(".cs", ".sh", ".ps1", ".json", "")
            .Where(f => !Relative(f).Equals(self.Replace('\\', '/'), StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => OutsidePath().IsMatch(l.Text))
            .Select(l => $"{Relative(l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0, "Paths outside the repository:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Every_relative_path_in_a_project_file_stays_inside_the_repository()
    {
        var root = Path.GetFullPath(RepositoryPaths.Root) + Path.DirectorySeparatorChar;
        var offenders = Files(".csproj", ".props", ".targets")
            .Append(Path.Combine(RepositoryPaths.Root, "Directory.Build.props"))
            .SelectMany(project => XDocument.Load(project).Descendants().SelectMany(e => e.Attributes())
                .Where(a => a.Name.LocalName is "Include" or "Project" or "Update" && a.Value.Contains("..", StringComparison.Ordinal))
                .Select(a => (Project: project, a.Value, Full: Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, a.Value.Replace('\\', '/'))))))
            .Where(p => !p.Full.StartsWith(root, StringComparison.Ordinal))
            .Select(p => $"{Relative(p.Project)}: {p.Value}")
            .ToList();

        Assert.True(offenders.Count == 0, "Project paths outside the repository:\n" + string.Join("\n", offenders));
    }

    /// <summary><c>../shared</c>, <c>..\shared</c>, <c>"..", "shared"</c>, and the absolute <c>/work/shared</c> of this machine.</summary>
    [GeneratedRegex("""\.\.[/\\]+shared|"\.\."\s*,\s*"shared"|/work/shared""")]
    private static partial Regex OutsidePath();
}
