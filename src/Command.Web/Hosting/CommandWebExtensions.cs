using System.Text.Json;
using System.Text.Json.Serialization;
using Command.Web.Apis;
using Command.Web.Apis.Requests;
using Command.Web.Audit;
using Command.Web.Auth;
using Command.Web.Errors;
using Command.Web.Realtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Command.Web.Hosting;

public static class CommandWebExtensions
{
    /// <summary>The HTTP API's services: JSON in kebab-case enums, problem details, OpenAPI, health.</summary>
    public static IServiceCollection AddCommandWeb(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<CommandExceptionHandler>();
        services.AddSingleton<IConfigureOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>, RequestSizeLimits.ConfigureKestrel>();
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster");
        services.AddCommandAuth();
        services.AddCommandAudit();

        // Request lines carry the hub's access_token query string; keep them out of the logs whatever the configuration says.
        services.AddLogging(b => b.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", level => level >= LogLevel.Warning));
        services.AddSignalR(o => o.AddFilter<CommandErrorHubFilter>())
            .AddJsonProtocol(o => Configure(o.PayloadSerializerOptions));
        services.AddSingleton<RealtimeSnapshots>();
        services.AddSingleton<RealtimeRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<RealtimeRelay>());
        return services;
    }

    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }

    public static WebApplication UseCommandWeb(this WebApplication app)
    {
        app.UseExceptionHandler();

        // With problem details registered, every bare status (404, 405, 413, 415...) is written as one.
        app.UseStatusCodePages();
        app.UseMiddleware<RequestSizeLimits>();
        app.UseMiddleware<JsonBodyLimit>();
        app.UseDashboardFiles();

        // A path that no endpoint serves is 404 for everyone: left to authorization, its fallback policy would
        // answer 401 to an anonymous caller. UseStatusCodePages writes the problem details.
        app.Use((context, next) =>
        {
            if (context.GetEndpoint() is not null)
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        app.UseAuthentication();
        app.UseMiddleware<AuditMiddleware>();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapOpenApi().AllowAnonymous();
        app.MapApiReference();
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthWriter.WriteAsync }).AllowAnonymous();
        var api = app.MapGroup("/api");
        api.AddEndpointFilter<RouteGroupBuilder, TextFieldFilter>();
        api.MapAuthApi();
        api.MapRegionsApi();
        api.MapVenuesApi();
        api.MapSessionsApi();
        api.MapRecordingsApi();
        api.MapPublicBroadcastsApi();
        api.MapWebRtcApi();
        api.MapWhepApi();
        api.MapIncidentsApi();
        api.MapFeedsApi();
        api.MapSchedulesApi();
        api.MapAuditApi();
        api.MapUsersApi();
        api.MapCascadeApi();
        app.MapHub<CommandHub>(CommandHub.Path);
        return app;
    }
}
