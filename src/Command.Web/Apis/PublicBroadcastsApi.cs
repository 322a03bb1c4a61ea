using Command.Contracts;
using Command.Contracts.Feeds;
using Command.Contracts.Recordings;
using Command.Contracts.Sessions;
using Command.Contracts.Venues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Command.Web.Apis;

/// <summary>
/// Public live broadcasts (网上直播), without sign-in: the sessions approved public at the publicity gate, live and
/// ended, with the chapters of each one's latest recording naming who went on screen, and the HLS files of that recording; an ended one leaves
/// the archive once that recording expired (past the retention period). Any other session is not found, so nothing about it shows;
/// the gate is asked on every request, so a withdrawal hides a session at once. Cache headers suit a CDN in front.
/// </summary>
public static class PublicBroadcastsApi
{
    public static void MapPublicBroadcastsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/public/broadcasts").WithTags("Public").AllowAnonymous();
        group.MapGet("/", ListAsync).WithSummary("Approved public sessions that went live, live ones first, newest first; no sign-in.");
        group.MapGet("/{sessionId}/hls/index.m3u8", PlaylistAsync).WithSummary("The broadcast's HLS playlist; no sign-in.");
        group.MapGet("/{sessionId}/hls/{part}/{segment}", SegmentAsync).WithSummary("One MPEG-TS segment of the broadcast; no sign-in.");
    }

    private static async Task<Ok<List<PublicBroadcast>>> ListAsync(IGrainFactory grains)
    {
        var broadcasts = new List<PublicBroadcast>();
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var summary in await grains.GetGrain<ISessionIndexGrain>(ISessionIndexGrain.DefaultKey).ListAsync())
        {
            if (!summary.Public)
            {
                continue;
            }

            var session = grains.GetGrain<ISessionGrain>(summary.Id);
            var snapshot = await session.GetAsync();
            if (IsShown(snapshot) && (await session.GetRecordingIdsAsync()) is [.., var latest])
            {
                // An ended session whose recording expired has nothing left to play; a live one's may only be starting.
                var recording = await grains.GetGrain<IRecordingGrain>(latest).GetAsync();
                if (recording is null && snapshot.State != SessionPhase.Live)
                {
                    continue;
                }

                broadcasts.Add(new PublicBroadcast(
                    snapshot.Id, snapshot.Title, snapshot.State, snapshot.StartedAt, snapshot.EndedAt, $"/api/public/broadcasts/{snapshot.Id}/hls/index.m3u8")
                {
                    Chapters = recording is null ? [] : await ChaptersAsync(recording, names, grains),
                });
            }
        }

        return TypedResults.Ok(broadcasts.OrderBy(b => b.State == SessionPhase.Live ? 0 : 1).ThenByDescending(b => b.StartedAt).ToList());
    }

    private static async Task<IResult> PlaylistAsync(string sessionId, HttpContext http, IGrainFactory grains)
    {
        var (session, recording) = await LoadAsync(sessionId, grains);
        var ended = recording.Status == RecordingStatus.Ended;
        var result = await RecordingFiles.PlaylistAsync(recording.Id, ended, http);
        http.Response.Headers.CacheControl = session.State == SessionPhase.Live ? "public, max-age=1" : "public, max-age=10";
        return result;
    }

    private static async Task<IResult> SegmentAsync(string sessionId, string part, string segment, HttpContext http, IGrainFactory grains)
    {
        RecordingFiles.EnsureSegmentName(part, segment);
        var (_, recording) = await LoadAsync(sessionId, grains);
        var file = RecordingFiles.Segment(recording.Id, part, segment, http);
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return file;
    }

    /// <summary>The recording's chapters as the public sees them, each naming what went on screen (names looked up once per list).</summary>
    private static async Task<List<PublicChapter>> ChaptersAsync(RecordingInfo recording, Dictionary<string, string?> names, IGrainFactory grains)
    {
        var chapters = new List<PublicChapter>();
        foreach (var c in recording.Chapters)
        {
            string? name = null;
            if (c.FeedId is { } feed)
            {
                if (!names.TryGetValue($"feed:{feed}", out name))
                {
                    name = names[$"feed:{feed}"] = (await grains.GetGrain<IFeedGrain>(feed).GetAsync())?.Name;
                }
            }
            else if (c.VenueId is { } venue && !names.TryGetValue(venue, out name))
            {
                name = names[venue] = (await grains.GetGrain<IVenueGrain>(venue).GetAsync())?.Name;
            }

            chapters.Add(new PublicChapter(c.OffsetSeconds, c.Action, name));
        }

        return chapters;
    }

    /// <summary>
    /// The session and its latest recording (without its chapters: only its media files are served from it), or not-found alike
    /// for an unknown session, one not approved public, or one without a recording.
    /// </summary>
    private static async Task<(SessionSnapshot Session, RecordingInfo Recording)> LoadAsync(string sessionId, IGrainFactory grains)
    {
        var session = grains.GetGrain<ISessionGrain>(sessionId);
        SessionSnapshot snapshot;
        try
        {
            snapshot = await session.GetAsync();
        }
        catch (CommandException e) when (e.Kind == CommandErrorKind.NotFound)
        {
            throw CommandException.NotFound("Broadcast", sessionId);
        }

        if (!IsShown(snapshot)
            || (await session.GetRecordingIdsAsync()) is not [.., var latest]
            || await grains.GetGrain<IRecordingGrain>(latest).GetSummaryAsync() is not { } recording)
        {
            throw CommandException.NotFound("Broadcast", sessionId);
        }

        return (snapshot, recording);
    }

    private static bool IsShown(SessionSnapshot session) => session.Publicity == Publicity.Approved && session.State != SessionPhase.Scheduled;
}
