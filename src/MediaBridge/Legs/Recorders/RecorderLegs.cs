using System.Net;
using System.Net.Sockets;
using Command.Contracts.Media;
using Command.Contracts.Recordings;
using MediaBridge.Conference;
using MediaBridge.Sdp;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Legs.Recorders;

/// <summary>
/// Recorders as a kind of leg: a live plan that asks for recording gets one receive-only member of its
/// conference, routed to the session's broadcast source and sent the full mix (it sends nothing, so it
/// takes nothing out of its N-1 mix). Its media go over loopback RTP into an ffmpeg that writes HLS under
/// <c>{root}/{recordingId}/part-N/</c>. A part ends when its ffmpeg does; the recording goes on in a new
/// part (after a back-off when it fails quickly), as it does after the bridge restarts. While the disk has
/// less free space than the floor, every recorder stops and the alarm is raised; they resume once space returns.
/// A recorder waits for the first venue's leg, then for the session's video codec (recording sound alone if none comes).
/// </summary>
public sealed partial class RecorderLegs : ILegKind, IDisposable
{
    /// <summary>The recorder's member id in a conference; no venue id starts with '~'.</summary>
    public const string MemberId = "~recorder";

    private static readonly TimeSpan ReadyEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SteadyPart = TimeSpan.FromSeconds(30);

    private readonly Lock gate = new();
    private readonly Dictionary<string, Recorder> recorders = new(StringComparer.Ordinal);
    private readonly List<Task> stopping = [];
    private readonly MediaEngine media;
    private readonly IRecordingReports reports;
    private readonly RecorderOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Func<string, long> freeSpace;
    private DateTimeOffset nextCheck = DateTimeOffset.MinValue;
    private DateTimeOffset nextProgress = DateTimeOffset.MinValue;
    private bool lowDisk;
    private string? alarm;

    public RecorderLegs(MediaEngine media, IRecordingReports reports, RecorderOptions options, TimeProvider time, ILogger<RecorderLegs> logger, Func<string, long>? freeSpace = null)
    {
        this.media = media;
        this.reports = reports;
        this.options = options;
        this.time = time;
        this.logger = logger;
        this.freeSpace = freeSpace ?? FreeBytes;
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
                return lowDisk;
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
            return recorders.GetValueOrDefault(sessionId)?.Process?.Id;
        }
    }

    /// <summary>The last output lines of the ffmpeg that wrote (or writes) a session's latest part, empty before any.</summary>
    public IReadOnlyList<string> OutputOf(string sessionId)
    {
        lock (gate)
        {
            return recorders.GetValueOrDefault(sessionId)?.LastProcess?.LastLines ?? [];
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
                EndPart(recorder, plan.Live ? "the recording was turned off" : "the session ended", sessionEnded: !plan.Live);
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
                recorder = new Recorder(plan.SessionId, wanted.RecordingId);
                recorders[plan.SessionId] = recorder;
            }

            CheckDisk(now);
            if (lowDisk && !recorder.ToldLowDisk)
            {
                // A recording that comes while the disk is below the floor is told so at once.
                recorder.ToldLowDisk = true;
                reports.Report(recorder.RecordingId, new RecordingReport("", RecordingReportKind.LowDisk, "", 0, now, alarm));
            }

            if (lowDisk || recorder.Leg is not null || now < recorder.RetryAt)
            {
                return;
            }

            // Nothing is recorded before a venue's leg is up or coming up: a conference nobody reached has nothing to hear or see.
            if (recorder.Since is null && roster.LiveVenues(plan.SessionId).Count > 0)
            {
                recorder.Since = now;
            }

            var codec = media.VideoCodecOf(plan.SessionId);
            if (recorder.Since is not { } since || (codec == VideoCodec.None && now - since < options.VideoWait))
            {
                return;
            }

            StartPart(recorder, codec, now);
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
                if (recorder is not { Leg: { } leg, Process: { } process, Part: { } part })
                {
                    continue;
                }

                if (process.HasExited)
                {
                    var quick = now - recorder.PartStartedAt < SteadyPart;
                    recorder.Strikes = quick ? recorder.Strikes + 1 : 1;
                    recorder.RetryAt = now + Backoff(recorder.Strikes);
                    LogPartEnded(recorder.RecordingId, part, process.ExitCode ?? -1);
                    EndPart(recorder, $"ffmpeg exited with code {process.ExitCode}");
                    continue;
                }

                if (recorder.Codec == VideoCodec.None && media.VideoCodecOf(recorder.SessionId) != VideoCodec.None)
                {
                    // Video came after a start with sound alone: a new part carries both.
                    EndPart(recorder, "the session's video started");
                    recorder.RetryAt = now;
                    continue;
                }

                if (!recorder.Segmented)
                {
                    recorder.Segmented = PartSeconds(recorder.RecordingId, part) > 0;
                    if (!recorder.Segmented && now - recorder.LastReady >= ReadyEvery)
                    {
                        // ffmpeg may have bound its ports after the first keyframe went by: ask again.
                        recorder.LastReady = now;
                        media.Ready(leg);
                    }
                }
                else if (recorder.Codec == VideoCodec.H264 && leg.VideoSource is not null && now - recorder.LastReady >= TimeSpan.FromSeconds(options.SegmentSeconds))
                {
                    // A copied picture can only be cut at keyframes: a venue is asked for one per segment (a camera keeps its own rhythm).
                    recorder.LastReady = now;
                    media.Ready(leg);
                }

                if (due)
                {
                    reports.Report(recorder.RecordingId, new RecordingReport("", RecordingReportKind.Progress, part, PartSeconds(recorder.RecordingId, part), now, null));
                }
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
                EndPart(recorder, "the bridge stopped");
            }

            recorders.Clear();
            pending = [.. stopping];
        }

        Task.WaitAll(pending, options.StopGrace + TimeSpan.FromSeconds(3));
    }

    private void CheckDisk(DateTimeOffset now)
    {
        if (now < nextCheck)
        {
            return;
        }

        nextCheck = now + options.CheckEvery;
        long free;
        try
        {
            Directory.CreateDirectory(options.Root);
            free = freeSpace(options.Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            LogDiskUnreadable(e, options.Root);
            return;
        }

        var stopped = DiskFloor.Stopped(lowDisk, free, options.MinFreeBytes);
        if (stopped == lowDisk)
        {
            return;
        }

        lowDisk = stopped;
        alarm = stopped ? DiskFloor.Alarm(free, options.MinFreeBytes) : null;
        reports.DiskAlarm(alarm);
        if (alarm is not null)
        {
            LogLowDisk(alarm);
        }
        else
        {
            LogSpaceBack(free / (1024 * 1024));
        }

        foreach (var recorder in recorders.Values)
        {
            if (stopped)
            {
                EndPart(recorder, alarm);
            }

            recorder.ToldLowDisk = stopped;

            reports.Report(recorder.RecordingId, new RecordingReport(
                "", stopped ? RecordingReportKind.LowDisk : RecordingReportKind.SpaceBack, recorder.Part ?? "", 0, now, alarm));
        }
    }

    private void StartPart(Recorder recorder, VideoCodec codec, DateTimeOffset now)
    {
        ConferenceLeg? leg = null;
        FfmpegProcess? process = null;
        string? part = null;
        try
        {
            var folder = Path.Combine(options.Root, recorder.RecordingId);
            Directory.CreateDirectory(folder);
            part = NextPart(folder);
            var partFolder = Path.Combine(folder, part);
            Directory.CreateDirectory(partFolder);
            var audioPort = RecorderPorts.Pair(media.Ports);
            int? videoPort = codec == VideoCodec.None ? null : RecorderPorts.Pair(media.Ports, exclude: audioPort);
            File.WriteAllText(Path.Combine(partFolder, FfmpegArguments.SdpFile), RecordingSdp.Write(audioPort, videoPort, codec));
            process = FfmpegProcess.Start(options.Ffmpeg, FfmpegArguments.For(partFolder, codec, options.SegmentSeconds, options.SilenceExit), logger, $"{recorder.RecordingId}/{part}");
            leg = media.CreateLeg(recorder.SessionId, MemberId);
            var audio = Stream(RecordingSdp.AudioCodec, audioPort);
            var video = videoPort is { } port && RecordingSdp.VideoCodecFor(codec) is { } videoCodec ? Stream(videoCodec, port) : null;
            media.Negotiated(leg, new NegotiatedMedia(audio, video, codec));
            (recorder.Leg, recorder.Process, recorder.LastProcess, recorder.Part, recorder.Codec) = (leg, process, process, part, codec);
            (recorder.PartStartedAt, recorder.Segmented, recorder.LastReady) = (now, false, now);
            media.Ready(leg);
            LogPartStarted(recorder.RecordingId, part, recorder.SessionId, codec, process.Id);
            reports.Report(recorder.RecordingId, new RecordingReport("", RecordingReportKind.PartStarted, part, 0, now, codec.ToString()));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException or SocketException)
        {
            process?.Dispose();
            if (leg is not null)
            {
                media.Remove(leg);
            }

            recorder.Strikes++;
            recorder.RetryAt = now + Backoff(recorder.Strikes);
            LogPartFailed(e, recorder.RecordingId, recorder.SessionId);
            reports.Report(recorder.RecordingId, new RecordingReport("", RecordingReportKind.PartEnded, part ?? "", 0, now, $"the recorder could not start: {e.Message}"));
        }
    }

    /// <summary>
    /// Lets the part's ffmpeg finish in the background, its leg still feeding it so it sees the request to
    /// close its playlist, then takes the leg out of the conference (and forgets the room of a session that
    /// ended) and reports the part's length.
    /// </summary>
    private void EndPart(Recorder recorder, string? reason, bool sessionEnded = false)
    {
        var (leg, process, part, sessionId, recordingId, grace) = (recorder.Leg, recorder.Process, recorder.Part, recorder.SessionId, recorder.RecordingId, options.StopGrace);
        (recorder.Leg, recorder.Process, recorder.Part) = (null, null, null);
        stopping.RemoveAll(t => t.IsCompleted);
        stopping.Add(Task.Run(() =>
        {
            try
            {
                process?.Stop(grace);
                process?.Dispose();
                if (leg is not null)
                {
                    media.Remove(leg);
                    if (sessionEnded)
                    {
                        media.Close(sessionId);
                    }
                }

                if (part is not null)
                {
                    reports.Report(recordingId, new RecordingReport("", RecordingReportKind.PartEnded, part, PartSeconds(recordingId, part), time.GetUtcNow(), reason));
                }
            }
            catch (Exception e)
            {
                LogStopFailed(e, recordingId, part ?? "");
            }
        }));
    }

    private TimeSpan Backoff(int strikes)
    {
        var delay = options.RestartFirst * Math.Pow(2, Math.Clamp(strikes - 1, 0, 16));
        return delay < options.RestartMax ? delay : options.RestartMax;
    }

    private double PartSeconds(string recordingId, string part)
    {
        try
        {
            var playlist = Path.Combine(options.Root, recordingId, part, FfmpegArguments.Playlist);
            return File.Exists(playlist) ? HlsPlaylist.Duration(File.ReadAllText(playlist)) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static NegotiatedStream Stream(SdpCodec codec, int port) =>
        new(codec, null, new IPEndPoint(IPAddress.Loopback, port), new IPEndPoint(IPAddress.Loopback, port + 1), false, MediaDirection.RecvOnly);

    /// <summary>The next part's folder name: one past the highest there, so parts written before a restart are kept.</summary>
    private static string NextPart(string folder) =>
        $"part-{Directory.EnumerateDirectories(folder).Select(d => HlsPlaylist.PartNumber(Path.GetFileName(d))).DefaultIfEmpty(0).Max() + 1}";

    private static long FreeBytes(string path) => new DriveInfo(path).AvailableFreeSpace;

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} of session {SessionId} writes {Part} ({Codec} video) with ffmpeg {Pid}")]
    private partial void LogPartStarted(string recordingId, string part, string sessionId, VideoCodec codec, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId}: the ffmpeg of {Part} exited with code {Code}; a new part follows")]
    private partial void LogPartEnded(string recordingId, string part, int code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} of session {SessionId} could not start a part; trying again")]
    private partial void LogPartFailed(Exception e, string recordingId, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId}: stopping {Part} failed")]
    private partial void LogStopFailed(Exception e, string recordingId, string part);

    [LoggerMessage(Level = LogLevel.Error, Message = "Disk floor reached, {Alarm}")]
    private partial void LogLowDisk(string alarm);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disk space is back ({FreeMegabytes} MB free); recording resumes")]
    private partial void LogSpaceBack(long freeMegabytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The free space of the recordings folder {Root} could not be read")]
    private partial void LogDiskUnreadable(Exception e, string root);

    private sealed class Recorder(string sessionId, string recordingId)
    {
        public string SessionId { get; } = sessionId;

        public string RecordingId { get; } = recordingId;

        /// <summary>When the first venue's leg of the session was seen up or coming up.</summary>
        public DateTimeOffset? Since { get; set; }

        public ConferenceLeg? Leg { get; set; }

        public FfmpegProcess? Process { get; set; }

        /// <summary>The ffmpeg of the latest part, kept after it ended for what it last said.</summary>
        public FfmpegProcess? LastProcess { get; set; }

        public string? Part { get; set; }

        public VideoCodec Codec { get; set; }

        public DateTimeOffset PartStartedAt { get; set; }

        public bool Segmented { get; set; }

        public DateTimeOffset LastReady { get; set; }

        public DateTimeOffset RetryAt { get; set; }

        public int Strikes { get; set; }

        /// <summary>Whether its recording was told that the disk is below the floor.</summary>
        public bool ToldLowDisk { get; set; }
    }
}
