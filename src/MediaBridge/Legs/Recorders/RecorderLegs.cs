using Command.Contracts.Media;
using Command.Contracts.Recordings;
using MediaBridge.Conference;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Legs.Recorders;

/// <summary>
/// Recorders as a kind of leg: a live plan that asks for recording gets one receive-only member of its
/// conference, routed to the session's broadcast source and sent the full mix (it sends nothing, so it
/// takes nothing out of its N-1 mix). Its media go over loopback RTP into an ffmpeg that writes HLS under
/// <c>{root}/{recordingId}/part-N/</c>; each session's parts are its <see cref="SessionRecorder"/>'s. While
/// the disk has less free space than the floor (<see cref="DiskWatch"/>), every recorder stops and the alarm
/// is raised; they resume once space returns.
/// </summary>
public sealed class RecorderLegs : ILegKind, IDisposable
{
    /// <summary>The recorder's member id in a conference; no venue id starts with '~'.</summary>
    public const string MemberId = "~recorder";

    private readonly Lock gate = new();
    private readonly Dictionary<string, SessionRecorder> recorders = new(StringComparer.Ordinal);
    private readonly List<Task> stopping = [];
    private readonly MediaEngine media;
    private readonly IRecordingReports reports;
    private readonly RecorderOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly DiskWatch disk;
    private DateTimeOffset nextProgress = DateTimeOffset.MinValue;

    public RecorderLegs(MediaEngine media, IRecordingReports reports, RecorderOptions options, TimeProvider time, ILogger<RecorderLegs> logger, Func<string, long>? freeSpace = null)
    {
        this.media = media;
        this.reports = reports;
        this.options = options;
        this.time = time;
        this.logger = logger;
        disk = new DiskWatch(options, reports, freeSpace, logger);
    }

    /// <summary>Recorders writing a part now.</summary>
    public int ActiveLegs
    {
        get
        {
            lock (gate)
            {
                return recorders.Values.Count(r => r.Leg is not null);
            }
        }
    }

    /// <summary>Whether recording is stopped for lack of disk space.</summary>
    public bool LowDisk
    {
        get
        {
            lock (gate)
            {
                return disk.Low;
            }
        }
    }

    /// <summary>The part a session's recorder writes now, or null.</summary>
    public string? PartOf(string sessionId)
    {
        lock (gate)
        {
            return recorders.GetValueOrDefault(sessionId)?.Part;
        }
    }

    /// <summary>The process id of the ffmpeg writing a session's part now, or null.</summary>
    public int? ProcessOf(string sessionId)
    {
        lock (gate)
        {
            return recorders.GetValueOrDefault(sessionId)?.ProcessId;
        }
    }

    /// <summary>The last output lines of the ffmpeg that wrote (or writes) a session's latest part, empty before any.</summary>
    public IReadOnlyList<string> OutputOf(string sessionId)
    {
        lock (gate)
        {
            return recorders.GetValueOrDefault(sessionId)?.LastLines ?? [];
        }
    }

    /// <summary>The recorder's leg in a session's conference, or null while it writes no part.</summary>
    public ConferenceLeg? LegOf(string sessionId)
    {
        lock (gate)
        {
            return recorders.GetValueOrDefault(sessionId)?.Leg;
        }
    }

    public IEnumerable<KeyValuePair<string, (bool Muted, string? Source, string? Feed)>> Members(ConferencePlan plan) =>
        plan is { Live: true, Recording: { On: true } r }
            ? [new(MemberId, (true, r.VideoSourceFeedId is null ? r.VideoSourceVenueId : null, r.VideoSourceFeedId))]
            : [];

    public void Release(ConferencePlan plan)
    {
        lock (gate)
        {
            if (recorders.TryGetValue(plan.SessionId, out var recorder)
                && (!plan.Live || plan.Recording is not { On: true } r || r.RecordingId != recorder.RecordingId))
            {
                Track(recorder.EndPart(plan.Live ? "the recording was turned off" : "the session ended", sessionEnded: !plan.Live));
                recorders.Remove(plan.SessionId);
            }
        }
    }

    public void Place(ConferencePlan plan, ILegRoster roster)
    {
        if (!plan.Live || plan.Recording is not { On: true } wanted)
        {
            return;
        }

        lock (gate)
        {
            var now = time.GetUtcNow();
            if (!recorders.TryGetValue(plan.SessionId, out var recorder))
            {
                recorder = new SessionRecorder(plan.SessionId, wanted.RecordingId, media, reports, options, time, logger);
                recorders[plan.SessionId] = recorder;
            }

            CheckDisk(now);
            if (disk.Low && !recorder.ToldLowDisk)
            {
                // A recording that comes while the disk is below the floor is told so at once.
                recorder.ToldLowDisk = true;
                reports.Report(recorder.RecordingId, new RecordingReport("", RecordingReportKind.LowDisk, "", 0, now, disk.Alarm));
            }

            if (!disk.Low)
            {
                recorder.Place(roster, now);
            }
        }
    }

    /// <summary>Checks the disk floor and reports each part's length when due; restarts parts whose ffmpeg ended; asks for a picture until the first segment is written.</summary>
    public void Tick()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            var due = now >= nextProgress;
            if (due)
            {
                nextProgress = now + options.CheckEvery;
            }

            CheckDisk(now);
            foreach (var recorder in recorders.Values)
            {
                Track(recorder.Tick(now, due));
            }
        }
    }

    public bool Holds(string sessionId, string venueId) => false;

    public IReadOnlyDictionary<string, LegState> States(string sessionId) => new Dictionary<string, LegState>();

    /// <summary>Stops every recorder, giving each ffmpeg its grace to close its playlist.</summary>
    public void Dispose()
    {
        Task[] pending;
        lock (gate)
        {
            foreach (var recorder in recorders.Values)
            {
                Track(recorder.EndPart("the bridge stopped"));
            }

            recorders.Clear();
            pending = [.. stopping];
        }

        Task.WaitAll(pending, options.StopGrace + TimeSpan.FromSeconds(3));
    }

    /// <summary>When the floor was just crossed, every recorder stops (or may go on) and its recording is told so.</summary>
    private void CheckDisk(DateTimeOffset now)
    {
        if (!disk.Check(now))
        {
            return;
        }

        foreach (var recorder in recorders.Values)
        {
            if (disk.Low)
            {
                Track(recorder.EndPart(disk.Alarm));
            }

            recorder.ToldLowDisk = disk.Low;
            reports.Report(recorder.RecordingId, new RecordingReport(
                "", disk.Low ? RecordingReportKind.LowDisk : RecordingReportKind.SpaceBack, recorder.Part ?? "", 0, now, disk.Alarm));
        }
    }

    private void Track(Task? ending)
    {
        if (ending is not null)
        {
            stopping.RemoveAll(t => t.IsCompleted);
            stopping.Add(ending);
        }
    }
}
