using Command.Contracts.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Command.Web.Auth;

/// <summary>Checks region authority over the session in the route before the handler runs.</summary>
public sealed class SessionAccessFilter(SessionAccess access) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var id = http.Request.RouteValues["id"] as string ?? "";
        var session = await http.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<ISessionGrain>(id).GetAsync();
        var authority = http.RequestServices.GetRequiredService<Authority>();
        if (access == SessionAccess.See)
        {
            await authority.EnsureCanSeeAsync(http.User, session);
        }
        else
        {
            await authority.EnsureControlsAsync(http.User, session);
            if (access == SessionAccess.Run)
            {
                Authority.EnsureKind(http.User, session.Kind);
            }
        }

        return await next(context);
    }
}
