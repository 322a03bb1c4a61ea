using Command.Contracts;
using Command.Contracts.Regions;
using Command.Contracts.Venues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Command.Web.Apis;

public static class VenuesApi
{
    public static RouteGroupBuilder MapVenuesApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/venues").WithTags("Venues");
        group.MapGet("/", ListAsync).WithSummary("Venues, optionally only those in a region's subtree.");
        group.MapGet("/{id}", GetAsync).WithSummary("One venue with its live status.");
        return group;
    }

    private static async Task<Ok<VenueInfo[]>> ListAsync(string? region, IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey)
            .GetVenueIdsAsync(string.IsNullOrWhiteSpace(region) ? null : region.Trim());
        var venues = await Task.WhenAll(ids.Select(id => grains.GetGrain<IVenueGrain>(id).GetAsync()));
        return TypedResults.Ok(venues.OfType<VenueInfo>().ToArray());
    }

    private static async Task<Ok<VenueInfo>> GetAsync(string id, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IVenueGrain>(id).GetAsync() ?? throw CommandException.NotFound("Venue", id));
}
