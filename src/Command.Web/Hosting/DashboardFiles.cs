using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;

namespace Command.Web.Hosting;

/// <summary>
/// Serves the dashboard pages from the wwwroot folder built beside the program. They are public;
/// everything they show comes from the API and the hub, which require sign-in.
/// </summary>
public static class DashboardFiles
{
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'";

    public static WebApplication UseDashboardFiles(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!Directory.Exists(root))
        {
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = c =>
            {
                c.Context.Response.Headers.ContentSecurityPolicy = Policy;
                c.Context.Response.Headers.XContentTypeOptions = "nosniff";
                c.Context.Response.Headers.CacheControl = "no-cache";
            },
        });
        return app;
    }
}
