using Command.Contracts;
using Command.Contracts.Regions;
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
        group.MapGet("/", GetTreeAsync).WithSummary("The region hierarchy, province to township.");
        group.MapGet("/{code}", GetRegionAsync).WithSummary("One region with its subtree.");
        return group;
    }

    private static async Task<Results<Ok<RegionNode>, NotFound>> GetTreeAsync(IGrainFactory grains)
    {
        var roots = await Directory(grains).GetTreeAsync();
        return roots.IsDefaultOrEmpty ? TypedResults.NotFound() : TypedResults.Ok(roots[0]);
    }

    private static async Task<Ok<RegionNode>> GetRegionAsync(string code, IGrainFactory grains)
    {
        var roots = await Directory(grains).GetTreeAsync();
        return TypedResults.Ok(FindNode(roots, code) ?? throw CommandException.NotFound("Region", code));
    }

    private static RegionNode? FindNode(IEnumerable<RegionNode> nodes, string code)
    {
        foreach (var node in nodes)
        {
            if (node.Code == code)
            {
                return node;
            }

            if (FindNode(node.Children, code) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static IDirectoryGrain Directory(IGrainFactory grains) => grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey);
}
