using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Command.Web.Tests.Infrastructure;

/// <summary>
/// The whole node (embedded store, silo, API) in-process on a temporary data directory and
/// free ports, loaded with the Foshan sample topology; shared by every API test.
/// </summary>
public sealed class CommandApiFactory : WebApplicationFactory<Program>
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("command-api-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Command:DataDirectory", dataDirectory);
        builder.UseSetting("Command:TopologyFile", RepositoryFile("samples/topology/foshan.json"));
        builder.UseSetting("Command:SiloPort", FreePort());
        builder.UseSetting("Command:GatewayPort", FreePort());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A store file still held open is left for the OS temp cleaner.
        }
    }

    public static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Command.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new InvalidOperationException("Command.sln not found above " + AppContext.BaseDirectory);
    }

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}
