using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Dashboard;

/// <summary>The whole node on a real loopback port, so that a real browser can reach it.</summary>
public sealed class BrowserNodeFactory : CommandApiFactory
{
    public BrowserNodeFactory()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
    }

    public int Port { get; }

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);

        // Every browser test signs in from 127.0.0.1, so the per-address limit is shared by all of them.
        builder.UseSetting("Command:Auth:SignInPerMinute", "30");
    }

    public string Url => "http://127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);
}
