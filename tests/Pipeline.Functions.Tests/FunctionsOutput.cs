namespace Pipeline.Functions.Tests;

/// <summary>Where the repository and the Functions app's build output are.</summary>
internal static class FunctionsOutput
{
    /// <summary>The Functions app's build output of the same configuration and framework as this test assembly.</summary>
    public static string Folder { get; } = FindOutputFolder();

    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Pipeline.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No Pipeline.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The Functions app's build output of the same configuration and framework as this test assembly.</summary>
    private static string FindOutputFolder()
    {
        var own = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (configuration, framework) = (own.Parent!.Name, own.Name);
        var folder = Path.Combine(RepositoryRoot(), "functions", "Pipeline.Functions", "bin", configuration, framework);
        return File.Exists(Path.Combine(folder, "functions.metadata"))
            ? folder
            : throw new InvalidOperationException($"{folder}/functions.metadata is missing: build functions/Pipeline.Functions first.");
    }
}
