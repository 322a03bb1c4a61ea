using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Command.Silo.Hosting;

/// <summary>
/// Reads appsettings.json and appsettings.{Environment}.json from the folder named by COMMAND_CONFIG_DIRECTORY
/// (the service uses /etc/command), so a server's settings live outside the program folder and survive an upgrade.
/// They override the files shipped beside the program and are overridden by environment variables and the command line.
/// </summary>
public static class ConfigDirectory
{
    public const string Variable = "COMMAND_CONFIG_DIRECTORY";

    public static void Add(IConfigurationBuilder configuration, string environmentName)
    {
        var directory = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
        {
            return;
        }

        var sources = configuration.Sources;
        var at = 0;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource)
            {
                at = i + 1;
            }
        }

        var files = new PhysicalFileProvider(Path.GetFullPath(directory));
        foreach (var name in new[] { "appsettings.json", $"appsettings.{environmentName}.json" })
        {
            sources.Insert(at++, new JsonConfigurationSource { FileProvider = files, Path = name, Optional = true, ReloadOnChange = false });
        }
    }
}
