using Command.Contracts;
using Command.Contracts.Incidents;
using Command.Web.Apis.Requests;
using Command.Web.Hosting;
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
        group.MapPost("/", CreateAsync).WithSummary("Report an incident; its severity decides the commanding level.");
        group.MapGet("/", ListAsync).WithSummary("Incidents, newest first.");
        group.MapGet("/{id}", (string id, IGrainFactory g) => Run(g, id, i => i.GetAsync()));
        group.MapPost("/{id}/escalate", (string id, ReasonRequest? body, HttpContext c, IGrainFactory g) =>
            Run(g, id, i => i.EscalateAsync(Actor.Of(c), body?.Reason)))
            .WithSummary("Raise severity one grade; a higher commanding level takes the chair of the live sessions.");
        group.MapPost("/{id}/status", (string id, IncidentStatusRequest? body, HttpContext c, IGrainFactory g) =>
            Run(g, id, i => i.SetStatusAsync(Require.Value(Require.Body(body).Status, "status"), Actor.Of(c))));
        group.MapPost("/{id}/feeds", (string id, FeedRequest? body, HttpContext c, IGrainFactory g) =>
            Run(g, id, i => i.AttachFeedAsync(Require.Text(Require.Body(body).FeedId, "feedId"), Actor.Of(c))));
        return group;
    }

    private static async Task<Created<IncidentSnapshot>> CreateAsync(CreateIncidentRequest? body, HttpContext context, IGrainFactory grains)
    {
        var r = Require.Body(body);
        var command = new CreateIncidentCommand(
            Require.Text(r.Title, "title"),
            Require.Text(r.Type, "type"),
            Require.Value(r.Severity, "severity"),
            Require.Text(r.RegionCode, "regionCode"));
        var id = ShortId.New("inc");
        var incident = await grains.GetGrain<IIncidentGrain>(id).CreateAsync(command, Actor.Of(context));
        return TypedResults.Created($"/api/incidents/{id}", incident);
    }

    private static async Task<Ok<IncidentSnapshot[]>> ListAsync(IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IIncidentIndexGrain>(IIncidentIndexGrain.DefaultKey).ListAsync();
        return TypedResults.Ok(await Task.WhenAll(ids.Select(id => grains.GetGrain<IIncidentGrain>(id).GetAsync())));
    }

    private static async Task<Ok<IncidentSnapshot>> Run(IGrainFactory grains, string id, Func<IIncidentGrain, Task<IncidentSnapshot>> action) =>
        TypedResults.Ok(await action(grains.GetGrain<IIncidentGrain>(id)));
}
