using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Claims;
using Command.Contracts;
using Command.Contracts.Audit;
using Command.Contracts.Recordings;
using Command.Contracts.Sessions;
using Command.Web.Apis.Requests;
using Command.Web.Audit;
using Command.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Command.Web.Apis;

/// <summary>
/// Sessions' recordings: turning recording on or off (a chair action), the list of a session's recordings,
/// one recording (public once its session is approved public), and its HLS playlist and segments for those with authority over the session's chair venue.
/// The files are read from the recordings folder the bridge writes to: this host must see the same folder.
/// A recording past the retention period is not found here, nor listed, whatever is left of its files.
/// </summary>
public static class RecordingsApi
{
    private static readonly TimeSpan AuditEvery = TimeSpan.FromMinutes(10);
    private static readonly ConcurrentDictionary<(string User, string Recording), DateTimeOffset> Viewed = new();

    public static void MapRecordingsApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/sessions/{id}/recordings", ListAsync).WithTags("Recordings").ForSession(SessionAccess.See)
            .WithSummary("The session's recordings, oldest first; with chapters=false without their chapters (chapterCount says how many).");
        api.MapPost("/sessions/{id}/recording", (string id, RecordingRequest? body, ClaimsPrincipal u, IGrainFactory g) =>
                SetAsync(g, id, Require.Value(Require.Body(body).On, "on"), Authority.NameOf(u)))
            .WithTags("Recordings").RequireAuthorization(Policies.Floor).ForSession(SessionAccess.Control)
            .WithSummary("Turn recording on or off: while live, a new recording starts or the running one ends.");

        var group = api.MapGroup("/recordings").WithTags("Recordings");
        group.MapGet("/{id}", GetAsync).WithSummary("One recording: its times, length, chapters and playlist; not found once past the retention period.");
        group.MapGet("/{id}/hls/index.m3u8", PlaylistAsync).WithSummary("The recording's HLS playlist, every part in turn.");
        group.MapGet("/{id}/hls/{part}/{segment}", SegmentAsync).WithSummary("One MPEG-TS segment of the recording.");
    }

    private static async Task<Ok<SessionSnapshot>> SetAsync(IGrainFactory grains, string id, bool on, string actor) =>
        TypedResults.Ok(await grains.GetGrain<ISessionGrain>(id).SetRecordingAsync(on, actor));

    /// <summary>The session's recordings; pages that fetch them again on every change of the session leave the chapters out, which a long session has thousands of.</summary>
    private static async Task<Ok<ImmutableArray<RecordingInfo>>> ListAsync(string id, bool? chapters, IGrainFactory grains)
    {
        var recordings = ImmutableArray.CreateBuilder<RecordingInfo>();
        var session = grains.GetGrain<ISessionGrain>(id);
        var approved = (await session.GetAsync()).Publicity == Publicity.Approved;
        foreach (var recordingId in await session.GetRecordingIdsAsync())
        {
            var grain = grains.GetGrain<IRecordingGrain>(recordingId);
            if (await (chapters == false ? grain.GetSummaryAsync() : grain.GetAsync()) is { } recording)
            {
                recordings.Add(recording with { Public = approved });
            }
        }

        return TypedResults.Ok(recordings.ToImmutable());
    }

    private static async Task<Ok<RecordingInfo>> GetAsync(string id, ClaimsPrincipal user, Authority authority, IGrainFactory grains) =>
        TypedResults.Ok(await LoadAsync(id, user, authority, grains, control: false));

    private static async Task<IResult> PlaylistAsync(string id, HttpContext http, Authority authority, IGrainFactory grains, AuditWriter audit, TimeProvider time)
    {
        var recording = await LoadAsync(id, http.User, authority, grains, control: true);
        var ended = recording.Status == RecordingStatus.Ended;
        http.Response.Headers.CacheControl = ended ? "private, max-age=60" : "private, max-age=1";
        await AuditViewAsync(http, recording, audit, time);
        return await RecordingFiles.PlaylistAsync(recording.Id, ended, http);
    }

    private static async Task<IResult> SegmentAsync(
        string id, string part, string segment, HttpContext http, Authority authority, IGrainFactory grains, AuditWriter audit, TimeProvider time)
    {
        RecordingFiles.EnsureSegmentName(part, segment);
        var recording = await LoadAsync(id, http.User, authority, grains, control: true);
        var file = RecordingFiles.Segment(recording.Id, part, segment, http);
        http.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
        await AuditViewAsync(http, recording, audit, time);
        return file;
    }

    /// <summary>
    /// The recording, once the user is shown to see its session (or control it, for its media). Its media files are fetched
    /// every few seconds by each player and need no chapters, so they are read without them.
    /// </summary>
    private static async Task<RecordingInfo> LoadAsync(string id, ClaimsPrincipal user, Authority authority, IGrainFactory grains, bool control)
    {
        var grain = grains.GetGrain<IRecordingGrain>(id);
        if (!HlsPlaylist.IsRecordingId(id) || await (control ? grain.GetSummaryAsync() : grain.GetAsync()) is not { } recording)
        {
            throw CommandException.NotFound("Recording", id);
        }

        var session = await grains.GetGrain<ISessionGrain>(recording.SessionId).GetAsync();
        if (control)
        {
            await authority.EnsureControlsAsync(user, session);
        }
        else
        {
            await authority.EnsureCanSeeAsync(user, session);
        }

        return recording with { Public = session.Publicity == Publicity.Approved };
    }

    /// <summary>A download of a recording is audited: once per user and recording every few minutes, as a player fetches many files.</summary>
    private static Task AuditViewAsync(HttpContext http, RecordingInfo recording, AuditWriter audit, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var key = (Authority.NameOf(http.User), recording.Id);
        if (Viewed.TryGetValue(key, out var last) && now - last < AuditEvery)
        {
            return Task.CompletedTask;
        }

        if (Viewed.Count > 10_000)
        {
            Viewed.Clear();
        }

        Viewed[key] = now;
        return audit.AppendOrRetryAsync(
            new AuditRecord(
                now, key.Item1, http.User.FindFirstValue(CommandClaimTypes.Role) ?? "", $"GET {http.Request.Path}", recording.Id, StatusCodes.Status200OK,
                $"recording of session {recording.SessionId} downloaded", Guid.NewGuid().ToString("N"), AuditKinds.Event, "", "",
                http.Connection.RemoteIpAddress?.ToString() ?? ""),
            TimeSpan.FromSeconds(2));
    }
}
