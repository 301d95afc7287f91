namespace Pipeline.Local.Tests.TestData;

/// <summary>A fresh folder under the system temp folder, deleted with its contents on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("pipeline-local-tests-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
