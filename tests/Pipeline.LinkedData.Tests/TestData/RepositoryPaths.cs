namespace Pipeline.LinkedData.Tests.TestData;

/// <summary>Finds the repository root (the folder holding Pipeline.sln) and the folders the tests read inside it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>standards/</c>: the standards data the tests and the product read, each file in its MANIFEST.json.</summary>
    public static string Standards { get; } = Path.Combine(Root, "standards");


    public static string Standard(params string[] parts) => Path.Combine([Standards, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Pipeline.sln above {AppContext.BaseDirectory}.");
    }
}
