using System.Collections.Immutable;
using System.Security.Claims;
using Command.Contracts;
using Command.Contracts.Sessions;
using Command.Contracts.Timeline;
using Command.Web.Apis.Requests;
using Command.Web.Audit;
using Command.Web.Auth;
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
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.SessionCreate)
            .WithSummary("Open a session; an emergency session without scheduledStart goes live at once.");
        group.MapGet("/", ListAsync).WithSummary("Sessions with a venue in your region, newest first, optionally by state.");
        group.MapGet("/{id}", (string id, IGrainFactory g) => Run(g, id, s => s.GetAsync())).ForSession(SessionAccess.See);
        group.MapGet("/{id}/timeline", GetTimelineAsync).ForSession(SessionAccess.See);

        group.MapPost("/{id}/start", (string id, ClaimsPrincipal u, IGrainFactory g) => Run(g, id, s => s.StartAsync(Authority.NameOf(u))))
            .ForSession(SessionAccess.Run, Policies.SessionRun);
        group.MapPost("/{id}/end", (string id, ReasonRequest? body, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, s => s.EndAsync(Authority.NameOf(u), body?.Reason)))
            .ForSession(SessionAccess.Run, Policies.SessionRun);
        group.MapPost("/{id}/checkin", (string id, VenueRequest? body, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, s => s.CheckInAsync(Require.Text(Require.Body(body).VenueId, "venueId"), Authority.NameOf(u))))
            .ForSession(SessionAccess.Control, Policies.CheckIn);
        group.MapPost("/{id}/feeds", (string id, FeedRequest? body, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, s => s.AttachFeedAsync(Require.Text(Require.Body(body).FeedId, "feedId"), Authority.NameOf(u))))
            .ForSession(SessionAccess.Control, Policies.SessionFeeds);
        group.MapDelete("/{id}/feeds/{feedId}", (string id, string feedId, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, s => s.DetachFeedAsync(feedId, Authority.NameOf(u))))
            .ForSession(SessionAccess.Control, Policies.SessionFeeds)
            .WithSummary("Detach a feed; if it was on screen, the floor falls back as when a venue leaves.");

        group.MapPost("/{id}/publish", (string id, PublishRequest? body, HttpContext http, IGrainFactory g) =>
            {
                var approved = Require.Value(Require.Body(body).Approved, "approved");
                http.Items[AuditMiddleware.DetailItem] = approved ? "publicity approved" : "publicity refused or withdrawn";
                return Run(g, id, s => s.PublishAsync(approved, Authority.NameOf(http.User)));
            })
            .ForSession(SessionAccess.Control, Policies.Publish)
            .WithSummary("Decide a session's request to be public (公开审批): approved true shows it to the public, false refuses or withdraws at once.");

        var floor = group.MapGroup("/{id}").RequireAuthorization(Policies.Floor);
        floor.MapPost("/broadcast", (string id, SourceRequest? body, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, s => Require.Body(body).ToSource() switch
            {
                { Kind: SourceKind.Feed } feed => s.BroadcastFeedAsync(feed.Id, Authority.NameOf(u)),
                { Kind: SourceKind.Uplink } uplink => s.BroadcastUplinkAsync(uplink.Id, Authority.NameOf(u)),
                var venue => s.BroadcastAsync(venue.Id, Authority.NameOf(u)),
            }))
            .ForSession(SessionAccess.Control)
            .WithSummary("Broadcast a joined venue {venueId}, an attached feed {feedId} or a relay session's uplink {uplinkId} to every venue.");
        floor.MapPost("/view", (string id, ViewRequest? body, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, s => ViewAsync(s, Require.Body(body), Authority.NameOf(u))))
            .ForSession(SessionAccess.Control)
            .WithSummary("The venue views one source: targetVenueId, targetFeedId (attached) or targetUplinkId (a relay session's).");
        floor.MapPost("/cascade/rollcall", (string id, CascadeRollCallRequest? body, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, s => s.CascadeRollCallAsync(
                Require.Text(Require.Body(body).VenueId, "venueId"),
                string.IsNullOrWhiteSpace(body!.RemoteVenueId) ? null : body.RemoteVenueId.Trim(),
                Authority.NameOf(u))))
            .ForSession(SessionAccess.Control)
            .WithSummary("Cascaded roll call (级联点名): the deployment below joined as {venueId} sends up its venue {remoteVenueId}, or its own broadcast again when remoteVenueId is null. " +
                "Once that venue's remoteVenues roster is known, a remoteVenueId not in it is 404, and one not joined there 409.");
        floor.MapPost("/rollcall", (string id, VenueRequest? body, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, s => s.RollCallAsync(Require.Text(Require.Body(body).VenueId, "venueId"), Authority.NameOf(u))))
            .ForSession(SessionAccess.Control);
        floor.MapPost("/mute", (string id, MuteRequest? body, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, s => s.MuteAsync(
                string.IsNullOrWhiteSpace(Require.Body(body).VenueId) ? null : body!.VenueId!.Trim(),
                Require.Value(body!.Muted, "muted"),
                Authority.NameOf(u))))
            .ForSession(SessionAccess.Control);
        floor.MapPost("/poll", (string id, PollRequest? body, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, s => s.PollSourcesAsync(
                Require.Body(body).Rotation(), Require.Value(body!.IntervalSeconds, "intervalSeconds"), Authority.NameOf(u))))
            .ForSession(SessionAccess.Control);
        floor.MapPost("/poll/stop", (string id, ClaimsPrincipal u, IGrainFactory g) => Run(g, id, s => s.StopPollingAsync(Authority.NameOf(u))))
            .ForSession(SessionAccess.Control);
        floor.MapPost("/lock", (string id, LockRequest? body, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, s => s.LockAsync(Require.Value(Require.Body(body).Locked, "locked"), Authority.NameOf(u))))
            .ForSession(SessionAccess.Control);
        floor.MapPost("/backup", (string id, BackupRequest? body, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, s => s.ReplaceWithBackupAsync(Require.Text(Require.Body(body).FailedVenueId, "failedVenueId"), Authority.NameOf(u))))
            .ForSession(SessionAccess.Control);
        floor.MapPost("/autobackup", (string id, AutoBackupRequest? body, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, s => s.SetAutoBackupAsync(Require.Value(Require.Body(body).Enabled, "enabled"), body!.AfterSeconds, Authority.NameOf(u))))
            .ForSession(SessionAccess.Control)
            .WithSummary("Turn automatic backup on or off: a venue whose leg is down for afterSeconds is replaced by its backup venue.");
        floor.MapPost("/venues", AddVenueAsync).ForSession(SessionAccess.Control);
        floor.MapDelete("/venues/{venueId}", (string id, string venueId, ClaimsPrincipal u, IGrainFactory g) =>
            Run(g, id, s => s.RemoveVenueAsync(venueId, Authority.NameOf(u))))
            .ForSession(SessionAccess.Control);
        return group;
    }

    private static async Task<Created<SessionSnapshot>> CreateAsync(
        CreateSessionRequest? body, ClaimsPrincipal user, Authority authority, IGrainFactory grains)
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
            r.CheckInLeadMinutes,
            AutoBackupEnabled: r.AutoBackup?.Enabled,
            AutoBackupAfterSeconds: r.AutoBackup?.AfterSeconds) { Record = r.Record };
        Authority.EnsureKind(user, command.Kind);
        foreach (var venue in command.VenueIds.Prepend(command.ChairVenueId))
        {
            await authority.EnsureVenueAsync(user, venue);
        }

        var id = ShortId.New("s");
        var session = await grains.GetGrain<ISessionGrain>(id).CreateAsync(command, Authority.NameOf(user));
        return TypedResults.Created($"/api/sessions/{id}", session);
    }

    private static async Task<Ok<SessionSnapshot>> AddVenueAsync(
        string id, VenueRequest? body, ClaimsPrincipal user, Authority authority, IGrainFactory grains)
    {
        var venueId = Require.Text(Require.Body(body).VenueId, "venueId");
        await authority.EnsureVenueAsync(user, venueId);
        return TypedResults.Ok(await grains.GetGrain<ISessionGrain>(id).AddVenueAsync(venueId, Authority.NameOf(user)));
    }

    private static async Task<Ok<ImmutableArray<SessionSummary>>> ListAsync(
        string? state, ClaimsPrincipal user, Authority authority, IGrainFactory grains)
    {
        SessionPhase? phase = null;
        if (!string.IsNullOrWhiteSpace(state))
        {
            phase = Enum.TryParse<SessionPhase>(state, ignoreCase: true, out var parsed) && !char.IsDigit(state[0])
                ? parsed
                : throw CommandException.Invalid("state must be scheduled, live or ended.");
        }

        var visible = ImmutableArray.CreateBuilder<SessionSummary>();
        foreach (var summary in await grains.GetGrain<ISessionIndexGrain>(ISessionIndexGrain.DefaultKey).ListAsync())
        {
            if ((phase is null || summary.State == phase) && await authority.CanSeeAsync(user, summary))
            {
                visible.Add(summary);
            }
        }

        return TypedResults.Ok(visible.ToImmutable());
    }

    private static async Task<Ok<ImmutableArray<TimelineEntry>>> GetTimelineAsync(string id, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISessionGrain>(id).GetTimelineAsync());

    private static Task<SessionSnapshot> ViewAsync(ISessionGrain session, ViewRequest body, string actor)
    {
        var venueId = Require.Text(body.VenueId, "venueId");
        var target = Sources.ExactlyOne(body.TargetVenueId, body.TargetFeedId, body.TargetUplinkId, "targetVenueId", "targetFeedId", "targetUplinkId");
        return target.Kind switch
        {
            SourceKind.Feed => session.ViewFeedAsync(venueId, target.Id, actor),
            SourceKind.Uplink => session.ViewUplinkAsync(venueId, target.Id, actor),
            _ => session.ViewAsync(venueId, target.Id, actor),
        };
    }

    private static async Task<Ok<SessionSnapshot>> Run(IGrainFactory grains, string id, Func<ISessionGrain, Task<SessionSnapshot>> action) =>
        TypedResults.Ok(await action(grains.GetGrain<ISessionGrain>(id)));
}
