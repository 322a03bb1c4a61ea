using System.Collections.Immutable;
using Command.Contracts;
using Command.Contracts.Recordings;
using Command.Contracts.Sessions;
using Command.Contracts.Timeline;
using Microsoft.Extensions.Logging;

namespace Command.Grains.Sessions;

/// <summary>
/// The session's recordings: one runs from going live (or recording turned on) until the session ends (or
/// recording turned off). Once a change is committed, the running recording is started if it is new, given a
/// chapter when what the session broadcasts changed or a venue was called on, and a recording that ended is stopped.
/// </summary>
public sealed partial class SessionGrain
{
    /// <summary>Floor actions a chapter is named after, newest first in a commit.</summary>
    private static readonly HashSet<string> ChapterActions = new(StringComparer.Ordinal)
    {
        "broadcast", "rollcall", "poll", "poll-stopped", "backup", "auto-backup", "escalated", "started", "venue-removed", "feed-detached",
    };

    private readonly List<(string Id, DateTimeOffset At, string Reason, string Actor)> endedRecordings = [];
    private string? startedRecording;
    private string? chapterSource;

    public async Task<SessionSnapshot> SetRecordingAsync(bool on, string actor)
    {
        EnsureCreated();
        EnsureNotEnded();
        var running = S.RecordingId is not null;
        if (S.Record == on && (S.Phase != SessionPhase.Live || running == on))
        {
            return Snapshot();
        }

        S.Record = on;
        if (S.Phase == SessionPhase.Live && on)
        {
            BeginRecording(actor);
        }
        else if (S.Phase == SessionPhase.Live)
        {
            EndRecording(actor, "recording turned off");
        }
        else
        {
            Record(actor, on ? "recording-on" : "recording-off", "");
        }

        await CommitAsync();
        return Snapshot();
    }

    public Task<ImmutableArray<string>> GetRecordingIdsAsync()
    {
        EnsureCreated();
        return Task.FromResult<ImmutableArray<string>>([.. S.RecordingIds]);
    }

    /// <summary>Starts a recording unless one runs; its id, for the timeline (its own entry, or the one of the action that started it).</summary>
    private string BeginRecording(string actor, bool onTimeline = true)
    {
        if (S.RecordingId is { } running)
        {
            return running;
        }

        S.RecordingId = ShortId.New("r");
        S.RecordingIds.Add(S.RecordingId);
        if (onTimeline)
        {
            Record(actor, "recording-started", S.RecordingId);
        }

        return S.RecordingId;
    }

    private void EndRecording(string actor, string reason, bool onTimeline = true)
    {
        if (S.RecordingId is not { } id)
        {
            return;
        }

        endedRecordings.Add((id, Now, reason, actor));
        S.RecordingId = null;
        if (onTimeline)
        {
            Record(actor, "recording-ended", $"{id}: {reason}");
        }
    }

    /// <summary>Brings the recording grains in line with the state just committed; a failure is logged and tried again on the next commit.</summary>
    private async Task SyncRecordingAsync(TimelineEntry[] entries)
    {
        try
        {
            foreach (var ended in endedRecordings.ToList())
            {
                await GrainFactory.GetGrain<IRecordingGrain>(ended.Id).StopAsync(ended.At, ended.Reason, ended.Actor);
                endedRecordings.Remove(ended);
            }

            if (S.RecordingId is not { } id || S.Phase != SessionPhase.Live)
            {
                return;
            }

            var joined = Floor.Joined(S).Select(p => p.VenueId).ToHashSet(StringComparer.Ordinal);
            var source = MediaRoutes.Broadcast(S, S.FeedIds.ToHashSet(StringComparer.Ordinal), joined);
            var cause = entries.LastOrDefault(e => ChapterActions.Contains(e.Action));
            var chapter = new RecordingChapter(
                0, Now, cause?.Action ?? (S.PollVenueIds is not null ? "poll" : "floor"),
                source?.Kind == SourceKind.Venue ? source.Id : null, source?.Kind == SourceKind.Feed ? source.Id : null, cause?.Actor ?? "system");
            var recording = GrainFactory.GetGrain<IRecordingGrain>(id);
            if (startedRecording != id)
            {
                var info = await recording.StartAsync(new RecordingStart(Id, S.IncidentId, S.Title, Now, chapter));
                startedRecording = id;
                chapterSource = info.Chapters.LastOrDefault() is { } last ? Key(last.VenueId, last.FeedId) : null;
            }

            var key = Key(chapter.VenueId, chapter.FeedId);
            if (key != chapterSource || cause?.Action == "rollcall")
            {
                await recording.AddChapterAsync(chapter);
                chapterSource = key;
            }
        }
        catch (Exception e)
        {
            LogRecordingSyncFailed(e, Id);
        }
    }

    private static string? Key(string? venueId, string? feedId) => feedId is not null ? $"feed:{feedId}" : venueId;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not bring session {SessionId}'s recording up to date; the next change tries again")]
    private partial void LogRecordingSyncFailed(Exception e, string sessionId);
}
