using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Command.Web.Tests.Infrastructure;

/// <summary>
/// The whole node (embedded store, silo, API) in-process on a temporary data directory and
/// free ports, loaded with the Foshan sample topology; shared by every API test.
/// </summary>
public class CommandApiFactory : WebApplicationFactory<Program>
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("command-api-").FullName;
    private readonly Dictionary<string, string> tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim tokenLock = new(1, 1);

    /// <summary>The node's data directory (recordings are served from under it).</summary>
    public string DataDirectory => dataDirectory;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Command:DataDirectory", dataDirectory);
        builder.UseSetting("Command:TopologyFile", RepositoryFile("samples/topology/foshan.json"));
        builder.UseSetting("Command:SiloPort", FreePort());
        builder.UseSetting("Command:GatewayPort", FreePort());
        builder.UseSetting("Command:Bridge:SipAddress", "127.0.0.1");
        builder.UseSetting("Command:Bridge:SipPort", "0");
        for (var i = 0; i < TestUsers.All.Count; i++)
        {
            var user = TestUsers.All[i];
            builder.UseSetting($"Command:Auth:Users:{i}:Name", user.Name);
            builder.UseSetting($"Command:Auth:Users:{i}:PasswordHash", user.PasswordHash);
            builder.UseSetting($"Command:Auth:Users:{i}:Role", user.Role);
            builder.UseSetting($"Command:Auth:Users:{i}:Region", user.Region);
        }

        builder.UseSetting("Command:Auth:LockoutThreshold", "3");
        builder.UseSetting("Command:Auth:LockoutMinutes", "1");
        builder.UseSetting("Command:Audit:CheckpointPeriod", "00:00:01");
        builder.UseSetting("Command:Auth:SignInPerMinute", "6");
        builder.ConfigureServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, TestClientAddress>());
    }

    /// <summary>A client that sends the named test user's bearer token.</summary>
    public async Task<HttpClient> CreateClientAsAsync(string user)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await TokenAsync(user));
        return client;
    }

    /// <summary>A hub connection to the in-process node over long polling (the test server has no WebSockets), not yet started.</summary>
    public HubConnection CreateHubConnection(Func<Task<string?>> accessToken) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(Server.BaseAddress, "/hubs/command"), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => Server.CreateHandler();
                o.AccessTokenProvider = accessToken;
            })
            .Build();

    public async Task<string> TokenAsync(string user)
    {
        await tokenLock.WaitAsync();
        try
        {
            if (!tokens.TryGetValue(user, out var token))
            {
                using var client = CreateClient();
                var issued = await client.PostJsonAsync("/api/auth/token", new { username = user, password = TestUsers.PasswordOf(user) });
                token = (string)issued["accessToken"]!;
                tokens[user] = token;
            }

            return token;
        }
        finally
        {
            tokenLock.Release();
        }
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
