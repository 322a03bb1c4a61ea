namespace Interop.Tests.Infrastructure;

/// <summary>A test class whose node keeps its data in a scratch folder of its own, removed after each test.</summary>
public abstract class WorkFolderTest(string prefix) : IDisposable
{
    protected DirectoryInfo Work { get; } = Directory.CreateTempSubdirectory(prefix);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        try
        {
            Work.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Already gone, or a child process still holds a file: the temporary folder is left to the system.
        }
    }
}
