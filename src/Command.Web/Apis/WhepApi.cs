using System.Security.Claims;
using Command.Contracts;
using Command.Contracts.Feeds;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using Command.Web.Audit;
using Command.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Command.Web.Apis;

/// <summary>
/// Watching in the browser without joining a session, the WHEP way (the receiving twin of WHIP,
/// RFC 9725): an officer posts an SDP offer for a camera, or for what one venue of a live session
/// sends (画面监看), gets the answer with 201 and a Location, and stops with DELETE on it. Watching is
/// reading, so every signed-in role may watch what lies within its authority: the camera's region,
/// or the venue's. Each watch is audited with who watches what, as a camera's picture is sensitive.
/// </summary>
public static class WhepApi
{
    public static IEndpointRouteBuilder MapWhepApi(this IEndpointRouteBuilder api)
    {
        var feeds = api.MapGroup("/feeds/{id}/whep").WithTags("WHEP");
        feeds.MapPost("/", WatchFeedAsync).Produces<string>(StatusCodes.Status201Created, SdpExchange.SdpType)
            .WithSummary("Watch a camera from a browser without a session: post a receive-only SDP offer (H.264), get the answer and the watch's Location.");
        feeds.MapDelete("/{watchId}", EndFeedWatchAsync).WithSummary("Stop watching the camera.");

        var venues = api.MapGroup("/sessions/{id}/venues/{venueId}/whep").WithTags("WHEP");
        venues.MapPost("/", WatchVenueAsync).Produces<string>(StatusCodes.Status201Created, SdpExchange.SdpType)
            .WithSummary("Watch what a venue of a live session sends (画面监看): post a receive-only SDP offer, get the answer and the watch's Location.");
        venues.MapDelete("/{watchId}", EndVenueWatchAsync).WithSummary("Stop watching the venue.");
        return api;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> WatchFeedAsync(
        string id, HttpContext http, ClaimsPrincipal user, IGrainFactory grains, Authority authority)
    {
        var (offer, refusal) = await SdpExchange.ReadOfferAsync(http.Request);
        if (refusal is not null)
        {
            return refusal;
        }

        var feed = await EnsureFeedAsync(id, user, grains, authority);
        return await WatchAsync(http, grains, new WatchRequest(WatchTarget.OfFeed(id), offer!),
            watchId => $"/api/feeds/{Uri.EscapeDataString(id)}/whep/{watchId}",
            watchId => $"watch {watchId} of camera {id} ({feed.Name}, {feed.Owner})");
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> WatchVenueAsync(
        string id, string venueId, HttpContext http, ClaimsPrincipal user, IGrainFactory grains, Authority authority)
    {
        var (offer, refusal) = await SdpExchange.ReadOfferAsync(http.Request);
        if (refusal is not null)
        {
            return refusal;
        }

        var session = await EnsureVenueOfSessionAsync(id, venueId, user, grains, authority);
        if (session.State != SessionPhase.Live)
        {
            throw CommandException.Conflict($"Session {id} is {session.State.ToString().ToLowerInvariant()}; only a live session's venues can be watched.");
        }

        return await WatchAsync(http, grains, new WatchRequest(WatchTarget.OfVenue(id, venueId), offer!),
            watchId => $"/api/sessions/{Uri.EscapeDataString(id)}/venues/{Uri.EscapeDataString(venueId)}/whep/{watchId}",
            watchId => $"watch {watchId} of venue {venueId} in session {id} ({session.Title})");
    }

    private static async Task<Results<Ok, ProblemHttpResult>> EndFeedWatchAsync(
        string id, string watchId, ClaimsPrincipal user, IGrainFactory grains, Authority authority)
    {
        await EnsureFeedAsync(id, user, grains, authority);
        return await EndAsync(grains, WatchTarget.OfFeed(id), watchId);
    }

    private static async Task<Results<Ok, ProblemHttpResult>> EndVenueWatchAsync(
        string id, string venueId, string watchId, ClaimsPrincipal user, IGrainFactory grains, Authority authority)
    {
        await EnsureVenueOfSessionAsync(id, venueId, user, grains, authority);
        return await EndAsync(grains, WatchTarget.OfVenue(id, venueId), watchId);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> WatchAsync(
        HttpContext http, IGrainFactory grains, WatchRequest request, Func<string, string> location, Func<string, string> audited)
    {
        var result = await grains.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey).WatchAsync(request);
        if (result is { Status: WatchStatus.Watching, AnswerSdp: { } answer, WatchId: { } watchId })
        {
            http.Items[AuditMiddleware.DetailItem] = audited(watchId);
            return SdpExchange.Answer(http.Response, location(watchId), answer);
        }

        var (status, title) = result.Status switch
        {
            WatchStatus.BadOffer => (StatusCodes.Status400BadRequest, "Unusable offer"),
            WatchStatus.NotFound => (StatusCodes.Status404NotFound, "Not found"),
            WatchStatus.NotLive or WatchStatus.NoPicture => (StatusCodes.Status409Conflict, "Refused by a rule"),
            _ => (StatusCodes.Status503ServiceUnavailable, "Media bridge unavailable"),
        };
        return SdpExchange.Refuse(http.Response, status, title, result.Error);
    }

    private static async Task<Results<Ok, ProblemHttpResult>> EndAsync(IGrainFactory grains, WatchTarget target, string watchId) =>
        await grains.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey).EndWatchAsync(target, watchId)
            ? TypedResults.Ok()
            : TypedResults.Problem($"There is no watch {watchId} of {target.Describe()}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static async Task<FeedInfo> EnsureFeedAsync(string id, ClaimsPrincipal user, IGrainFactory grains, Authority authority)
    {
        var feed = await grains.GetGrain<IFeedGrain>(id).GetAsync() ?? throw CommandException.NotFound("Feed", id);
        await authority.EnsureRegionAsync(user, feed.RegionCode);
        return feed;
    }

    private static async Task<SessionSnapshot> EnsureVenueOfSessionAsync(string id, string venueId, ClaimsPrincipal user, IGrainFactory grains, Authority authority)
    {
        var session = await grains.GetGrain<ISessionGrain>(id).GetAsync();
        if (!session.Venues.Any(v => v.VenueId == venueId))
        {
            throw new CommandException(CommandErrorKind.NotFound, $"Venue {venueId} is not in session {id}.");
        }

        await authority.EnsureVenueAsync(user, venueId);
        return session;
    }
}
