using Command.Contracts;
using Command.Contracts.Regions;
using Command.Contracts.Venues;
using Command.Web.Auth;
using System.Security.Claims;
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
        group.MapGet("/", ListAsync).WithSummary("Venues in your region, or in a region of it given by ?region=CODE.");
        group.MapGet("/{id}", GetAsync).WithSummary("One venue with its live status.");
        return group;
    }

    private static async Task<Ok<VenueInfo[]>> ListAsync(string? region, ClaimsPrincipal user, Authority authority, IGrainFactory grains)
    {
        var scope = string.IsNullOrWhiteSpace(region) ? Authority.RegionOf(user) : region.Trim();
        if (await authority.IsKnownRegionAsync(scope))
        {
            await authority.EnsureRegionAsync(user, scope);
        }

        var ids = await grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey).GetVenueIdsAsync(scope);
        var venues = await Task.WhenAll(ids.Select(id => grains.GetGrain<IVenueGrain>(id).GetAsync()));
        return TypedResults.Ok(venues.OfType<VenueInfo>().ToArray());
    }

    private static async Task<Ok<VenueInfo>> GetAsync(string id, ClaimsPrincipal user, Authority authority, IGrainFactory grains)
    {
        var venue = await grains.GetGrain<IVenueGrain>(id).GetAsync() ?? throw CommandException.NotFound("Venue", id);
        await authority.EnsureRegionAsync(user, venue.RegionCode);
        return TypedResults.Ok(venue);
    }
}
