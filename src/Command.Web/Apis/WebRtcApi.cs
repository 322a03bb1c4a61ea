using System.Security.Claims;
using Command.Contracts;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using Command.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Command.Web.Apis;

/// <summary>
/// A browser joins a session as one of its venues the WHIP way (RFC 9725 §4.2): it posts its SDP
/// offer, gets the answer with 201 and a Location, and leaves with DELETE on that Location. Joining
/// sends media on a venue's behalf, so it takes a role that acts and authority over the venue.
/// While the session's bridge is being replaced the join is refused with 503 and a Retry-After.
/// </summary>
public static class WebRtcApi
{
    public static RouteGroupBuilder MapWebRtcApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/sessions/{id}/venues/{venueId}/webrtc").WithTags("WebRTC").RequireAuthorization(Policies.VenueMedia);
        group.MapPost("/", JoinAsync).Produces<string>(StatusCodes.Status201Created, SdpExchange.SdpType)
            .WithSummary("Join the session as this venue from a browser: post an SDP offer, get the answer and the leg's Location.");
        group.MapDelete("/{legId}", LeaveAsync).WithSummary("Leave: ends the browser's leg.");
        return group;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> JoinAsync(
        string id, string venueId, HttpContext http, ClaimsPrincipal user, IGrainFactory grains, Authority authority)
    {
        var (offer, refusal) = await SdpExchange.ReadOfferAsync(http.Request);
        if (refusal is not null)
        {
            return refusal;
        }

        await EnsureVenueOfSessionAsync(id, venueId, user, grains, authority);
        var result = await grains.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey).JoinBrowserAsync(new BrowserJoin(id, venueId, offer!));
        if (result is { Status: BrowserJoinStatus.Joined, AnswerSdp: { } answer, LegId: { } legId })
        {
            return SdpExchange.Answer(http.Response, $"/api/sessions/{Uri.EscapeDataString(id)}/venues/{Uri.EscapeDataString(venueId)}/webrtc/{legId}", answer);
        }

        var (status, title) = result.Status switch
        {
            BrowserJoinStatus.BadOffer => (StatusCodes.Status400BadRequest, "Unusable offer"),
            BrowserJoinStatus.NotInSession => (StatusCodes.Status404NotFound, "Not found"),
            BrowserJoinStatus.NotLive => (StatusCodes.Status409Conflict, "Refused by a rule"),
            _ => (StatusCodes.Status503ServiceUnavailable, "Media bridge unavailable"),
        };
        return SdpExchange.Refuse(http.Response, status, title, result.Error);
    }

    private static async Task<Results<Ok, ProblemHttpResult>> LeaveAsync(
        string id, string venueId, string legId, ClaimsPrincipal user, IGrainFactory grains, Authority authority)
    {
        await EnsureVenueOfSessionAsync(id, venueId, user, grains, authority);
        return await grains.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey).LeaveBrowserAsync(id, legId)
            ? TypedResults.Ok()
            : TypedResults.Problem($"Session {id} has no browser leg {legId}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
    }

    private static async Task EnsureVenueOfSessionAsync(string id, string venueId, ClaimsPrincipal user, IGrainFactory grains, Authority authority)
    {
        var session = await grains.GetGrain<ISessionGrain>(id).GetAsync();
        if (!session.Venues.Any(v => v.VenueId == venueId))
        {
            throw new CommandException(CommandErrorKind.NotFound, $"Venue {venueId} is not in session {id}.");
        }

        await authority.EnsureVenueAsync(user, venueId);
        if (session.State != SessionPhase.Live)
        {
            throw CommandException.Conflict($"Session {id} is {session.State.ToString().ToLowerInvariant()}; venues join live sessions only.");
        }
    }
}
