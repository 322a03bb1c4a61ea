namespace Command.Silo.Tests.Infrastructure;

public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The silo built in the same configuration as these tests.</summary>
    public static string SiloAssembly
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var path = Path.Combine(Root, "src", "Command.Silo", "bin", configuration, "net10.0", "Command.Silo.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build src/Command.Silo first", path);
        }
    }

    /// <summary>The media bridge program, built in the same configuration as these tests.</summary>
    public static string MediaBridgeAssembly => Built("MediaBridge");

    private static string Built(string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(Root, "src", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build src/{project} first", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Command.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Command.sln not found above " + AppContext.BaseDirectory);
    }
}
