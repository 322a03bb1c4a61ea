using Command.Contracts;
using Command.Contracts.Feeds;
using Command.Contracts.Regions;
using Command.Web.Apis.Requests;
using Command.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Command.Web.Apis;

public static class FeedsApi
{
    public static RouteGroupBuilder MapFeedsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/feeds").WithTags("Feeds");
        group.MapGet("/", ListAsync).WithSummary("Camera feeds of the police, the 三防办 and others.");
        group.MapGet("/{id}", GetAsync);
        group.MapPost("/", CreateAsync).WithSummary("Register a camera feed (rtsp:// or rtp://).");
        return group;
    }

    private static async Task<Ok<FeedInfo[]>> ListAsync(IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey).GetFeedIdsAsync();
        var feeds = await Task.WhenAll(ids.Select(id => grains.GetGrain<IFeedGrain>(id).GetAsync()));
        return TypedResults.Ok(feeds.OfType<FeedInfo>().ToArray());
    }

    private static async Task<Ok<FeedInfo>> GetAsync(string id, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IFeedGrain>(id).GetAsync() ?? throw CommandException.NotFound("Feed", id));

    private static async Task<Created<FeedInfo>> CreateAsync(CreateFeedRequest? body, HttpContext context, IGrainFactory grains)
    {
        var r = Require.Body(body);
        var feed = await grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey).AddFeedAsync(
            Require.Text(r.Name, "name"), Require.Text(r.Url, "url"), Require.Text(r.Owner, "owner"),
            Require.Text(r.RegionCode, "regionCode"), Actor.Of(context));
        return TypedResults.Created($"/api/feeds/{feed.Id}", feed);
    }
}
