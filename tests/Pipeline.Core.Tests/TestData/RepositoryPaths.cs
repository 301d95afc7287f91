namespace Pipeline.Core.Tests.TestData;

/// <summary>Finds the repository root (the folder holding Pipeline.sln) and the shared standards beside it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>../shared/standards</c>, beside the checkout, as CI and every developer lay it out.</summary>
    public static string Standards { get; } = Path.GetFullPath(Path.Combine(Root, "..", "shared", "standards"));

    public static string Samples { get; } = Path.Combine(Root, "samples");

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
