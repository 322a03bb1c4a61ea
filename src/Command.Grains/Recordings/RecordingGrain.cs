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
/// </summary>
public sealed partial class RecordingGrain(
    [PersistentState("recording", CommandStorage.Name)] IPersistentState<RecordingState> state,
    ITimelineStore timelines,
    ILogger<RecordingGrain> logger) : Grain, IRecordingGrain
{
    private RecordingState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    public async Task<RecordingInfo> StartAsync(RecordingStart start)
    {
        if (S.Created)
        {
            return Info();
        }

        S.Created = true;
        S.SessionId = start.SessionId;
        S.IncidentId = start.IncidentId;
        S.Title = start.Title;
        S.StartedAt = start.At;
        S.Status = RecordingStatus.Recording;
        S.Chapters = [start.FirstChapter with { OffsetSeconds = 0 }];
        await CommitAsync();
        return Info();
    }

    public async Task AddChapterAsync(RecordingChapter chapter)
    {
        if (!S.Created || S.Status == RecordingStatus.Ended)
        {
            return;
        }

        S.Chapters.Add(chapter);
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

        return Info();
    }

    public async Task ReportAsync(RecordingReport report)
    {
        if (!S.Created)
        {
            return;
        }

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

    public Task<RecordingInfo?> GetAsync() => Task.FromResult(S.Created ? Info() : null);

    private string SessionTimeline => $"session:{S.SessionId}";

    private async Task CommitAsync()
    {
        S.Version++;
        await state.WriteStateAsync();
        Changes.Publish(GrainFactory, CommandEvent.For(Info()));
    }

    private RecordingInfo Info() => new(
        Id, S.SessionId, S.IncidentId, S.Title, S.StartedAt, S.EndedAt, Math.Round(S.Parts.Values.Sum(), 3), S.Public,
        RecordingInfo.HlsPath(Id), S.Status, S.Alarm, S.Parts.Count, [.. S.Chapters.Select(c => c with { OffsetSeconds = Math.Round(OffsetOf(c.At), 3) })], S.Version);

    /// <summary>A chapter's place in the media; by the wall clock for a recording kept before parts' starts were (media recorded, no start known).</summary>
    private double OffsetOf(DateTimeOffset at) =>
        S.PartStarts.Count == 0 && S.Parts.Values.Any(seconds => seconds > 0)
            ? Math.Max(0, (at - S.StartedAt).TotalSeconds)
            : RecordingTime.OffsetOf(at, S.PartStarts.Select(p => (p.Key, p.Value, S.Parts.GetValueOrDefault(p.Key))));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} of session {SessionId} paused: {Alarm}")]
    private partial void LogPaused(string recordingId, string sessionId, string alarm);
}
