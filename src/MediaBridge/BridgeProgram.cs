using System.ComponentModel.DataAnnotations;
using MediaBridge.Control;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;

namespace MediaBridge;

/// <summary>
/// The standalone bridge. An explicit entry point in its own namespace: a top-level one would be a public
/// global <c>Program</c> that clashes with the node's in every project that sees both assemblies.
/// </summary>
public static class BridgeProgram
{
    public static int Main(string[] args)
    {
        try
        {
            var builder = WebApplication.CreateBuilder(args);
            builder.AddBridgeClient();

            // Kestrel only serves /metrics here; set Urls to move it.
            if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
            {
                builder.WebHost.UseUrls("http://0.0.0.0:9464");
            }

            var app = builder.Build();
            app.MapCommandMetrics();
            app.Run();
            return 0;
        }
        catch (ValidationException e)
        {
            Console.Error.WriteLine($"The media bridge cannot start: {e.Message}");
            return 2;
        }
        catch (PortInUseException e)
        {
            Console.Error.WriteLine($"The media bridge cannot start: {e.Message}");
            return 2;
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            Console.Error.WriteLine($"The media bridge cannot start: {e.Message.TrimEnd('.')}: it is in use by another program; set Urls (--urls) to a free port for /metrics");
            return 2;
        }
    }
}
