using Command.Contracts;
using Command.Contracts.Cascade;
using Command.Web.Apis.Requests;
using Command.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Command.Web.Apis;

/// <summary>
/// Cascade (级联) uplinks: this deployment registers to the deployment above it as one of its venues.
/// Anyone signed in reads them; only an admin defines or removes one. Passwords are never returned,
/// and the audit trail masks them by name.
/// </summary>
public static class CascadeApi
{
    public static RouteGroupBuilder MapCascadeApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/cascade/uplinks").WithTags("Cascade");
        group.MapGet("/", ListAsync).WithSummary("The uplinks to the deployments above, with their status: offline, registered or in-call.");
        group.MapGet("/{id}", GetAsync).WithSummary("One uplink with its status and, while offline, why.");
        group.MapPost("/", CreateAsync).RequireAuthorization(p => p.RequireRole(CommandRoles.Admin))
            .WithSummary("Register to the deployment above as one of its venues: {name, registrar: sip:host[:port], username, password, venueIds?}; venueIds are the venues a relay session of the upper session's calls gathers, the first chairing it.");
        group.MapDelete("/{id}", DeleteAsync).RequireAuthorization(p => p.RequireRole(CommandRoles.Admin))
            .WithSummary("Remove an uplink; its bridge unregisters it. Uplinks from configuration are removed there (409).");
        return group;
    }

    private static async Task<Ok<UplinkView[]>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok((await Uplinks(grains).ListAsync()).ToArray());

    private static async Task<Ok<UplinkView>> GetAsync(string id, IGrainFactory grains) =>
        TypedResults.Ok(await Uplinks(grains).GetAsync(id) ?? throw CommandException.NotFound("Uplink", id));

    private static async Task<Created<UplinkView>> CreateAsync(CreateUplinkRequest? body, IGrainFactory grains)
    {
        var r = Require.Body(body);
        var created = await Uplinks(grains).AddAsync(new UplinkRequest(r.Name, r.Registrar, r.Username, r.Password) { VenueIds = [.. (r.VenueIds ?? []).Select(v => v ?? "")] });
        return TypedResults.Created($"/api/cascade/uplinks/{created.Id}", created);
    }

    private static async Task<NoContent> DeleteAsync(string id, IGrainFactory grains)
    {
        await Uplinks(grains).RemoveAsync(id);
        return TypedResults.NoContent();
    }

    private static IUplinksGrain Uplinks(IGrainFactory grains) => grains.GetGrain<IUplinksGrain>(IUplinksGrain.DefaultKey);
}
