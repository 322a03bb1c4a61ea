using Command.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Scalar.AspNetCore;

namespace Command.Web.Hosting;

/// <summary>
/// The interactive API reference (Scalar) at /scalar over /openapi/v1.json. Open to everyone in Development; elsewhere
/// for signed-in admins only, since it lays out every endpoint. Everything it loads comes from the node itself:
/// the script is served from the package, and the web fonts, telemetry and the request proxy that would reach the
/// internet are turned off, so it works on an isolated network.
/// </summary>
public static class ApiReference
{
    public const string Path = "/scalar";

    public static WebApplication MapApiReference(this WebApplication app)
    {
        var reference = app.MapScalarApiReference(Path, o => o
            .WithTitle("Command API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .WithDefaultHttpClient(ScalarTarget.Shell, ScalarClient.Curl));
        if (app.Environment.IsDevelopment())
        {
            reference.AllowAnonymous();
        }
        else
        {
            reference.RequireAuthorization(p => p.RequireRole(CommandRoles.Admin));
        }

        return app;
    }
}
