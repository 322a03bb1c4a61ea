using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Command.Web.Auth;

public static class EndpointAccessExtensions
{
    public static RouteHandlerBuilder ForSession(this RouteHandlerBuilder builder, SessionAccess access, string? policy = null)
    {
        builder.AddEndpointFilter(new SessionAccessFilter(access));
        return policy is null ? builder : builder.RequireAuthorization(policy);
    }

    public static RouteHandlerBuilder ForIncident(this RouteHandlerBuilder builder, string? policy = null)
    {
        builder.AddEndpointFilter(new IncidentAccessFilter());
        return policy is null ? builder : builder.RequireAuthorization(policy);
    }
}
