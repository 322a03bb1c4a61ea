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

    // Every browser test signs in from 127.0.0.1, several windows each; the per-address limit is tested elsewhere.
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Command:Auth:SignInPerMinute", "600");

        // An uplink to a silent registrar turns offline, and one that answers registered, within seconds rather than the default 8 s per attempt.
        builder.UseSetting("Command:Cascade:AnswerTimeoutSeconds", "2");
        builder.UseSetting("Command:Cascade:ClaimSeconds", "0.5");
    }

    public string Url => "http://127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);
}
