using System.Globalization;
using Command.Contracts.Audit;
using Command.Contracts.Realtime;
using Command.Contracts.Recordings;
using Command.Contracts.Timeline;
using Command.Grains.Realtime;
using Command.Grains.Timeline;
using Microsoft.Extensions.Logging;

namespace Command.Grains.Recordings;

/// <summary>
/// One recording of a session. Its session starts and stops it and adds the floor changes as chapters (placed
/// in the recording's own time, see <see cref="RecordingTime"/>, as the parts' starts and lengths now say); the
/// bridge that writes it reports each part's length (including after the stop, when the last part closes)
/// and the disk floor, which pauses the recording with an alarm on the session's timeline until space returns.
/// It tells the retention list when it starts and ends; past the retention period that list expires it.
/// The chapters are in a list of their own (<see cref="IRecordingChapterStore"/>), not in the state: a chapter costs one
/// append and a small state write, and the change pushed to pages carries their count only, however many there are.
/// </summary>
public sealed partial class RecordingGrain(
    [PersistentState("recording", CommandStorage.Name)] IPersistentState<RecordingState> state,
    IRecordingChapterStore chapterStore,
    ITimelineStore timelines,
    ILogger<RecordingGrain> logger) : Grain, IRecordingGrain
{
    /// <summary>The chapters in the store, read on activation and added to after each append (this grain alone writes them).</summary>
    private readonly List<RecordingChapter> chapters = [];

    private RecordingState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Expired)
        {
            return;
        }

        // Read even before the recording is created: a start whose state write failed may have appended its first chapter.
        chapters.AddRange(await chapterStore.ReadAsync(Id));
        if (S.Chapters.Count > 0)
        {
            await MoveChaptersAsync();
        }
    }

    public async Task<RecordingInfo> StartAsync(RecordingStart start)
    {
        if (!S.Created)
        {
            S.Created = true;
            S.SessionId = start.SessionId;
            S.IncidentId = start.IncidentId;
            S.Title = start.Title;
            S.StartedAt = start.At;
            S.Status = RecordingStatus.Recording;
            if (chapters.Count == 0)
            {
                await AppendAsync(start.FirstChapter with { OffsetSeconds = 0 });
            }

            await CommitAsync();
        }

        await TrackAsync();
        return Info();
    }

    public async Task AddChapterAsync(RecordingChapter chapter)
    {
        if (!S.Created || S.Status == RecordingStatus.Ended)
        {
            return;
        }

        await AppendAsync(chapter);
        await CommitAsync();
    }

    public async Task<RecordingInfo?> StopAsync(DateTimeOffset at, string reason, string actor)
    {
        if (!S.Created)
        {
            return null;
        }

        if (S.Status != RecordingStatus.Ended)
        {
            S.Status = RecordingStatus.Ended;
            S.EndedAt = at;
            S.Alarm = null;
            await CommitAsync();
        }

        await TrackAsync();
        return Info();
    }

    public async Task ReportAsync(RecordingReport report)
    {
        if (!S.Created || S.Expired)
        {
            return;
        }

        await TrackAsync();

        switch (report.Kind)
        {
            case RecordingReportKind.PartStarted:
                S.Parts.TryAdd(report.Part, 0);
                S.PartStarts.TryAdd(report.Part, report.At);
                if (S.Status == RecordingStatus.Paused)
                {
                    (S.Status, S.Alarm) = (RecordingStatus.Recording, null);
                }

                break;
            case RecordingReportKind.Progress or RecordingReportKind.PartEnded when report.Part.Length > 0:
                S.Parts[report.Part] = Math.Max(S.Parts.GetValueOrDefault(report.Part), report.PartSeconds);
                break;
            case RecordingReportKind.LowDisk when S.Status == RecordingStatus.Recording:
                (S.Status, S.Alarm) = (RecordingStatus.Paused, report.Detail ?? "recording stopped: too little disk space");
                LogPaused(Id, S.SessionId, S.Alarm);
                await timelines.AppendAsync(SessionTimeline, [new TimelineEntry(report.At, $"bridge {report.BridgeId}", "recording-stopped", $"{Id}: {S.Alarm}", SessionTimeline)]);
                break;
            case RecordingReportKind.SpaceBack when S.Status == RecordingStatus.Paused:
                (S.Status, S.Alarm) = (RecordingStatus.Recording, null);
                await timelines.AppendAsync(SessionTimeline, [new TimelineEntry(report.At, $"bridge {report.BridgeId}", "recording-resumed", $"{Id}: disk space is back", SessionTimeline)]);
                break;
            default:
                return;
        }

        await CommitAsync();
    }

    public Task<RecordingInfo?> GetAsync() => Task.FromResult(S.Created && !S.Expired ? Info() : null);

    public Task<RecordingInfo?> GetSummaryAsync() => Task.FromResult(S.Created && !S.Expired ? Summary() : null);

    public Task<bool> IsExpiredAsync() => Task.FromResult(S.Expired);

    /// <summary>
    /// Marks the recording expired and leaves its files to the holders of its folder (each bridge's disk, or a shared
    /// one), which no single place can delete together with this mark: marked first, it is at once not found by every
    /// API, so files half deleted are never served, and each holder deletes them on its sweep, again until they are gone.
    /// The audit entry goes first, once per recording (a retry after a failed write finds it there). The chapters' list is
    /// deleted before the mark is written, so a failed delete fails this call and the next sweep tries again.
    /// </summary>
    public async Task<bool> ExpireAsync(DateTimeOffset at, TimeSpan kept)
    {
        if (!S.Created || S.Expired)
        {
            return true;
        }

        if (S.Status != RecordingStatus.Ended || S.EndedAt is not { } endedAt)
        {
            return false;
        }

        var period = Describe(kept);
        await GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.DefaultKey).AppendAsync(new AuditRecord(
            at, "system", "system", "recording.expire", Id, 200,
            $"recording of session {S.SessionId}, ended {endedAt:O}, kept {period}: expired; the bridges holding its files delete them", $"recording-expire-{Id}"));
        await chapterStore.DeleteAsync(Id);
        chapters.Clear();
        S.Expired = true;
        S.ExpiredAt = at;
        S.Alarm = null;
        S.Parts.Clear();
        S.PartStarts.Clear();
        S.Chapters.Clear();
        S.Version++;
        await state.WriteStateAsync();
        Changes.Publish(GrainFactory, CommandEvent.For(Summary() with { Status = RecordingStatus.Expired }));
        LogExpired(Id, S.SessionId, endedAt);
        try
        {
            await timelines.AppendAsync(SessionTimeline, [new TimelineEntry(at, "system", "recording-expired", $"{Id}: kept {period} after it ended; expired, its files are being deleted", SessionTimeline)]);
        }
        catch (Exception e)
        {
            LogTimelineFailed(e, Id, S.SessionId);
        }

        return true;
    }

    private static string Describe(TimeSpan kept) =>
        kept.Ticks % TimeSpan.TicksPerDay == 0 ? $"{kept.TotalDays.ToString(CultureInfo.InvariantCulture)} days" : kept.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>Tells the retention list this recording's end unless it has it; a failure is logged and tried again on the next call.</summary>
    private async Task TrackAsync()
    {
        if (S.Expired || (S.Tracked && S.TrackedEndedAt == S.EndedAt))
        {
            return;
        }

        try
        {
            var endedAt = S.EndedAt;
            await GrainFactory.GetGrain<IRecordingRetentionGrain>(IRecordingRetentionGrain.DefaultKey).TrackAsync(Id, endedAt);
            (S.Tracked, S.TrackedEndedAt) = (true, endedAt);
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            LogTrackFailed(e, Id);
        }
    }

    private string SessionTimeline => $"session:{S.SessionId}";

    private async Task AppendAsync(RecordingChapter chapter)
    {
        await chapterStore.AppendAsync(Id, [chapter]);
        chapters.Add(chapter);
    }

    /// <summary>
    /// Moves the chapters kept in the state before they had a list of their own: those the list lacks are appended (after a
    /// failure between that append and the state write, the list already holds them, so none is added twice), then the state drops them.
    /// </summary>
    private async Task MoveChaptersAsync()
    {
        var moved = S.Chapters.Count;
        var missing = S.Chapters.Skip(chapters.Count).ToList();
        if (missing.Count > 0)
        {
            await chapterStore.AppendAsync(Id, missing);
            chapters.AddRange(missing);
        }

        S.Chapters.Clear();
        await state.WriteStateAsync();
        LogChaptersMoved(Id, moved);
    }

    /// <summary>Writes the state and pushes the change to pages, with the chapters' count but not the chapters.</summary>
    private async Task CommitAsync()
    {
        S.Version++;
        await state.WriteStateAsync();
        Changes.Publish(GrainFactory, CommandEvent.For(Summary()));
    }

    private RecordingInfo Info() => Summary() with { Chapters = [.. chapters.Select(c => c with { OffsetSeconds = Math.Round(OffsetOf(c.At), 3) })] };

    private RecordingInfo Summary() => new(
        Id, S.SessionId, S.IncidentId, S.Title, S.StartedAt, S.EndedAt, Math.Round(S.Parts.Values.Sum(), 3), S.Public,
        RecordingInfo.HlsPath(Id), S.Status, S.Alarm, S.Parts.Count, [], S.Version, chapters.Count);

    /// <summary>A chapter's place in the media; by the wall clock for a recording kept before parts' starts were (media recorded, no start known).</summary>
    private double OffsetOf(DateTimeOffset at) =>
        S.PartStarts.Count == 0 && S.Parts.Values.Any(seconds => seconds > 0)
            ? Math.Max(0, (at - S.StartedAt).TotalSeconds)
            : RecordingTime.OffsetOf(at, S.PartStarts.Select(p => (p.Key, p.Value, S.Parts.GetValueOrDefault(p.Key))));

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId}: {Count} chapters moved from its state to their own list")]
    private partial void LogChaptersMoved(string recordingId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} of session {SessionId}, ended {EndedAt}, expired")]
    private partial void LogExpired(string recordingId, string sessionId, DateTimeOffset endedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} expired but session {SessionId}'s timeline could not be told")]
    private partial void LogTimelineFailed(Exception e, string recordingId, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} could not be added to the retention list; its next change tries again")]
    private partial void LogTrackFailed(Exception e, string recordingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} of session {SessionId} paused: {Alarm}")]
    private partial void LogPaused(string recordingId, string sessionId, string alarm);
}
