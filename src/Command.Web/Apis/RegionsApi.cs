using Command.Contracts;
using Command.Contracts.Regions;
using Command.Web.Auth;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Command.Web.Apis;

public static class RegionsApi
{
    public static RouteGroupBuilder MapRegionsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/regions").WithTags("Regions");
        group.MapGet("/", GetTreeAsync).WithSummary("The hierarchy below your region (the whole network for a province user).");
        group.MapGet("/{code}", GetRegionAsync).WithSummary("One region with its subtree.");
        return group;
    }

    private static async Task<Ok<RegionNode>> GetTreeAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        var roots = await Directory(grains).GetTreeAsync();
        var mine = Authority.RegionOf(user);
        return TypedResults.Ok(RegionNode.Find(roots, mine) ?? throw CommandException.NotFound("Region", mine));
    }

    private static async Task<Ok<RegionNode>> GetRegionAsync(string code, ClaimsPrincipal user, Authority authority, IGrainFactory grains)
    {
        var roots = await Directory(grains).GetTreeAsync();
        var node = RegionNode.Find(roots, code) ?? throw CommandException.NotFound("Region", code);
        await authority.EnsureRegionAsync(user, code);
        return TypedResults.Ok(node);
    }

    private static IDirectoryGrain Directory(IGrainFactory grains) => grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey);
}
