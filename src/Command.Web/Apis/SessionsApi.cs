using System.Collections.Immutable;
using Command.Contracts;
using Command.Contracts.Sessions;
using Command.Contracts.Timeline;
using Command.Web.Apis.Requests;
using Command.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Command.Web.Apis;

/// <summary>Sessions and the chair's floor-control actions.</summary>
public static class SessionsApi
{
    public static RouteGroupBuilder MapSessionsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/sessions").WithTags("Sessions");
        group.MapPost("/", CreateAsync).WithSummary("Open a session; an emergency session without scheduledStart goes live at once.");
        group.MapGet("/", ListAsync).WithSummary("Sessions, newest first, optionally by state.");
        group.MapGet("/{id}", (string id, IGrainFactory g) => Run(g, id, s => s.GetAsync()));
        group.MapGet("/{id}/timeline", GetTimelineAsync);
        group.MapPost("/{id}/start", (string id, HttpContext c, IGrainFactory g) => Run(g, id, s => s.StartAsync(Actor.Of(c))));
        group.MapPost("/{id}/end", (string id, ReasonRequest? body, HttpContext c, IGrainFactory g) =>
            Run(g, id, s => s.EndAsync(Actor.Of(c), body?.Reason)));
        group.MapPost("/{id}/broadcast", (string id, VenueRequest? body, HttpContext c, IGrainFactory g) =>
            Run(g, id, s => s.BroadcastAsync(Require.Text(Require.Body(body).VenueId, "venueId"), Actor.Of(c))));
        group.MapPost("/{id}/view", (string id, ViewRequest? body, HttpContext c, IGrainFactory g) =>
            Run(g, id, s => s.ViewAsync(
                Require.Text(Require.Body(body).VenueId, "venueId"), Require.Text(body!.TargetVenueId, "targetVenueId"), Actor.Of(c))));
        group.MapPost("/{id}/rollcall", (string id, VenueRequest? body, HttpContext c, IGrainFactory g) =>
            Run(g, id, s => s.RollCallAsync(Require.Text(Require.Body(body).VenueId, "venueId"), Actor.Of(c))));
        group.MapPost("/{id}/mute", (string id, MuteRequest? body, HttpContext c, IGrainFactory g) =>
            Run(g, id, s => s.MuteAsync(
                string.IsNullOrWhiteSpace(Require.Body(body).VenueId) ? null : body!.VenueId!.Trim(),
                Require.Value(body!.Muted, "muted"),
                Actor.Of(c))));
        group.MapPost("/{id}/poll", (string id, PollRequest? body, HttpContext c, IGrainFactory g) =>
            Run(g, id, s => s.PollAsync(
                [.. Require.Body(body).VenueIds ?? []], Require.Value(body!.IntervalSeconds, "intervalSeconds"), Actor.Of(c))));
        group.MapPost("/{id}/poll/stop", (string id, HttpContext c, IGrainFactory g) => Run(g, id, s => s.StopPollingAsync(Actor.Of(c))));
        group.MapPost("/{id}/lock", (string id, LockRequest? body, HttpContext c, IGrainFactory g) =>
            Run(g, id, s => s.LockAsync(Require.Value(Require.Body(body).Locked, "locked"), Actor.Of(c))));
        group.MapPost("/{id}/feeds", (string id, FeedRequest? body, HttpContext c, IGrainFactory g) =>
            Run(g, id, s => s.AttachFeedAsync(Require.Text(Require.Body(body).FeedId, "feedId"), Actor.Of(c))));
        group.MapPost("/{id}/backup", (string id, BackupRequest? body, HttpContext c, IGrainFactory g) =>
            Run(g, id, s => s.ReplaceWithBackupAsync(Require.Text(Require.Body(body).FailedVenueId, "failedVenueId"), Actor.Of(c))));
        group.MapPost("/{id}/venues", (string id, VenueRequest? body, HttpContext c, IGrainFactory g) =>
            Run(g, id, s => s.AddVenueAsync(Require.Text(Require.Body(body).VenueId, "venueId"), Actor.Of(c))));
        group.MapDelete("/{id}/venues/{venueId}", (string id, string venueId, HttpContext c, IGrainFactory g) =>
            Run(g, id, s => s.RemoveVenueAsync(venueId, Actor.Of(c))));
        group.MapPost("/{id}/checkin", (string id, VenueRequest? body, HttpContext c, IGrainFactory g) =>
            Run(g, id, s => s.CheckInAsync(Require.Text(Require.Body(body).VenueId, "venueId"), Actor.Of(c))));
        return group;
    }

    private static async Task<Created<SessionSnapshot>> CreateAsync(CreateSessionRequest? body, HttpContext context, IGrainFactory grains)
    {
        var r = Require.Body(body);
        var command = new CreateSessionCommand(
            Require.Text(r.Title, "title"),
            Require.Value(r.Kind, "kind"),
            Require.Text(r.ChairVenueId, "chairVenueId"),
            [.. (r.VenueIds ?? []).Select(v => v?.Trim() ?? "")],
            string.IsNullOrWhiteSpace(r.IncidentId) ? null : r.IncidentId.Trim(),
            r.ScheduledStart,
            r.Public ?? false,
            r.ScheduledEnd,
            r.CheckInLeadMinutes);
        var id = ShortId.New("s");
        var session = await grains.GetGrain<ISessionGrain>(id).CreateAsync(command, Actor.Of(context));
        return TypedResults.Created($"/api/sessions/{id}", session);
    }

    private static async Task<Ok<ImmutableArray<SessionSummary>>> ListAsync(string? state, IGrainFactory grains)
    {
        SessionPhase? phase = null;
        if (!string.IsNullOrWhiteSpace(state))
        {
            phase = Enum.TryParse<SessionPhase>(state, ignoreCase: true, out var parsed) && !char.IsDigit(state[0])
                ? parsed
                : throw CommandException.Invalid("state must be scheduled, live or ended.");
        }

        var all = await grains.GetGrain<ISessionIndexGrain>(ISessionIndexGrain.DefaultKey).ListAsync();
        return TypedResults.Ok(phase is null ? all : [.. all.Where(s => s.State == phase)]);
    }

    private static async Task<Ok<ImmutableArray<TimelineEntry>>> GetTimelineAsync(string id, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISessionGrain>(id).GetTimelineAsync());

    private static async Task<Ok<SessionSnapshot>> Run(IGrainFactory grains, string id, Func<ISessionGrain, Task<SessionSnapshot>> action) =>
        TypedResults.Ok(await action(grains.GetGrain<ISessionGrain>(id)));

}
