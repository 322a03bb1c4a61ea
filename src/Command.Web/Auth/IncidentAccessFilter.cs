using Command.Contracts.Incidents;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Command.Web.Auth;

/// <summary>Checks that the incident in the route lies in the user's region before the handler runs.</summary>
public sealed class IncidentAccessFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var id = http.Request.RouteValues["id"] as string ?? "";
        var incident = await http.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IIncidentGrain>(id).GetAsync();
        await http.RequestServices.GetRequiredService<Authority>().EnsureControlsAsync(http.User, incident);
        return await next(context);
    }
}
