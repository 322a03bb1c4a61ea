using Command.Contracts;
using Command.Contracts.Feeds;
using Command.Contracts.Regions;
using Command.Web.Apis.Requests;
using System.Security.Claims;
using Command.Web.Auth;
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
        group.MapGet("/", ListAsync).WithSummary("Camera feeds in your region: the police, the 三防办 and others.");
        group.MapGet("/{id}", GetAsync).WithSummary("A feed with its stream status as the bridges report it (offline when none does).");
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.FeedsWrite).WithSummary("Register a camera feed (rtsp:// pulled, or rtp://0.0.0.0:PORT pushed), with optional username and password.");
        return group;
    }

    private static async Task<Ok<FeedView[]>> ListAsync(ClaimsPrincipal user, Authority authority, IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey).GetFeedIdsAsync();
        var feeds = await Task.WhenAll(ids.Select(id => grains.GetGrain<IFeedGrain>(id).GetViewAsync()));
        var visible = new List<FeedView>();
        foreach (var feed in feeds.OfType<FeedView>())
        {
            if (await authority.CoversRegionAsync(user, feed.RegionCode))
            {
                visible.Add(feed);
            }
        }

        return TypedResults.Ok(visible.ToArray());
    }

    private static async Task<Ok<FeedView>> GetAsync(string id, ClaimsPrincipal user, Authority authority, IGrainFactory grains)
    {
        var feed = await grains.GetGrain<IFeedGrain>(id).GetViewAsync() ?? throw CommandException.NotFound("Feed", id);
        await authority.EnsureRegionAsync(user, feed.RegionCode);
        return TypedResults.Ok(feed);
    }

    private static async Task<Created<FeedView>> CreateAsync(
        CreateFeedRequest? body, ClaimsPrincipal user, Authority authority, IGrainFactory grains)
    {
        var r = Require.Body(body);
        var region = Require.Text(r.RegionCode, "regionCode");
        if (await authority.IsKnownRegionAsync(region))
        {
            await authority.EnsureRegionAsync(user, region);
        }

        var credentials = string.IsNullOrEmpty(r.Username) && string.IsNullOrEmpty(r.Password) ? null : new FeedCredentials(r.Username, r.Password);
        var feed = await grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey).AddFeedAsync(
            Require.Text(r.Name, "name"), Require.Text(r.Url, "url"), Require.Text(r.Owner, "owner"),
            region, Authority.NameOf(user), credentials);
        var view = await grains.GetGrain<IFeedGrain>(feed.Id).GetViewAsync() ?? throw CommandException.NotFound("Feed", feed.Id);
        return TypedResults.Created($"/api/feeds/{feed.Id}", view);
    }
}
