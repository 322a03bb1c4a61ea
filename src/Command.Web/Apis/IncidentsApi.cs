using Command.Contracts;
using Command.Contracts.Incidents;
using Command.Web.Apis.Requests;
using Command.Web.Audit;
using System.Security.Claims;
using Command.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Command.Web.Apis;

public static class IncidentsApi
{
    public static RouteGroupBuilder MapIncidentsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/incidents").WithTags("Incidents");
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.Incidents)
            .WithSummary("Report an incident; its severity decides the commanding level.");
        group.MapGet("/", ListAsync).WithSummary("Incidents in your region, newest first.");
        group.MapGet("/{id}", (string id, IGrainFactory g) => Run(g, id, i => i.GetAsync())).ForIncident();
        group.MapPost("/{id}/escalate", (string id, ReasonRequest? body, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, i => i.EscalateAsync(Authority.NameOf(u), body?.Reason)))
            .ForIncident(Policies.Incidents)
            .WithSummary("Raise severity one grade; a higher commanding level takes the chair of the live sessions.");
        group.MapPost("/{id}/status", SetStatusAsync)
            .ForIncident(Policies.Incidents)
            .WithSummary("Move the status on; closing with sessions still running needs sessions: end, or keep with a reason.");
        group.MapPost("/{id}/feeds", (string id, FeedRequest? body, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, i => i.AttachFeedAsync(Require.Text(Require.Body(body).FeedId, "feedId"), Authority.NameOf(u))))
            .ForIncident(Policies.Incidents);
        return group;
    }

    private static async Task<Created<IncidentSnapshot>> CreateAsync(
        CreateIncidentRequest? body, ClaimsPrincipal user, Authority authority, IGrainFactory grains)
    {
        var r = Require.Body(body);
        var command = new CreateIncidentCommand(
            Require.Text(r.Title, "title"),
            Require.Text(r.Type, "type"),
            Require.Value(r.Severity, "severity"),
            Require.Text(r.RegionCode, "regionCode"))
        {
            Description = r.Description,
        };
        if (await authority.IsKnownRegionAsync(command.RegionCode))
        {
            await authority.EnsureRegionAsync(user, command.RegionCode);
        }

        var id = ShortId.New("inc");
        var incident = await grains.GetGrain<IIncidentGrain>(id).CreateAsync(command, Authority.NameOf(user));
        return TypedResults.Created($"/api/incidents/{id}", incident);
    }

    private static async Task<Ok<IncidentSnapshot[]>> ListAsync(ClaimsPrincipal user, Authority authority, IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IIncidentIndexGrain>(IIncidentIndexGrain.DefaultKey).ListAsync();
        var all = await Task.WhenAll(ids.Select(id => grains.GetGrain<IIncidentGrain>(id).GetAsync()));
        var visible = new List<IncidentSnapshot>();
        foreach (var incident in all)
        {
            if (await authority.CanSeeAsync(user, incident))
            {
                visible.Add(incident);
            }
        }

        return TypedResults.Ok(visible.ToArray());
    }

    private static Task<Ok<IncidentSnapshot>> SetStatusAsync(
        string id, IncidentStatusRequest? body, ClaimsPrincipal user, HttpContext http, IGrainFactory grains)
    {
        var r = Require.Body(body);
        var status = Require.Value(r.Status, "status");
        if (r.Sessions is { } choice)
        {
            // The audit entry says what closing did to the sessions, not only that it was a POST.
            http.Items[AuditMiddleware.DetailItem] = $"{status.ToString().ToLowerInvariant()}; sessions {choice.ToString().ToLowerInvariant()}"
                + (string.IsNullOrWhiteSpace(r.Reason) ? "" : $": {r.Reason.Trim()}");
        }

        return Run(grains, id, i => i.SetStatusAsync(status, Authority.NameOf(user), r.Sessions, r.Reason));
    }

    private static async Task<Ok<IncidentSnapshot>> Run(IGrainFactory grains, string id, Func<IIncidentGrain, Task<IncidentSnapshot>> action) =>
        TypedResults.Ok(await action(grains.GetGrain<IIncidentGrain>(id)));
}
