using System.Net;
using System.Net.Sockets;
using Command.Contracts.Media;
using Command.Contracts.Recordings;
using MediaBridge.Conference;
using MediaBridge.Sdp;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Legs.Recorders;

/// <summary>
/// One session's recorder and the parts it writes one after another, each by an ffmpeg that a receive-only
/// leg of the conference feeds over loopback RTP. A part starts once a venue is reached and the session's
/// video codec is known (or was waited for long enough, then with sound alone); one whose ffmpeg ends is
/// followed by a new part after a back-off that doubles while parts keep failing quickly, and one begun with
/// sound alone gives way to one with the picture once the session has video. A part ends in the background,
/// its leg still feeding ffmpeg while it closes the playlist. <see cref="RecorderLegs"/> calls it under its lock.
/// </summary>
internal sealed partial class SessionRecorder
{
    private static readonly TimeSpan ReadyEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SteadyPart = TimeSpan.FromSeconds(30);

    private readonly MediaEngine media;
    private readonly IRecordingReports reports;
    private readonly RecorderOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    /// <summary>When the first venue's leg of the session was seen up or coming up.</summary>
    private DateTimeOffset? since;
    private FfmpegProcess? process;

    /// <summary>The ffmpeg of the latest part, kept after it ended for what it last said.</summary>
    private FfmpegProcess? lastProcess;
    private VideoCodec codec;
    private DateTimeOffset partStartedAt;
    private bool segmented;
    private DateTimeOffset lastReady;
    private DateTimeOffset retryAt;
    private int strikes;

    public SessionRecorder(string sessionId, string recordingId, MediaEngine media, IRecordingReports reports, RecorderOptions options, TimeProvider time, ILogger logger)
    {
        SessionId = sessionId;
        RecordingId = recordingId;
        this.media = media;
        this.reports = reports;
        this.options = options;
        this.time = time;
        this.logger = logger;
    }

    public string SessionId { get; }

    public string RecordingId { get; }

    /// <summary>The recorder's leg in the conference while it writes a part.</summary>
    public ConferenceLeg? Leg { get; private set; }

    /// <summary>The part being written, or null.</summary>
    public string? Part { get; private set; }

    /// <summary>The process id of the ffmpeg writing the part, or null.</summary>
    public int? ProcessId => process?.Id;

    /// <summary>What the ffmpeg of the latest part last said.</summary>
    public IReadOnlyList<string> LastLines => lastProcess?.LastLines ?? [];

    /// <summary>Whether its recording was told that the disk is below the floor.</summary>
    public bool ToldLowDisk { get; set; }

    /// <summary>Starts a part when none is being written, no back-off is running, a venue is reached and the video codec is settled.</summary>
    public void Place(ILegRoster roster, DateTimeOffset now)
    {
        if (Leg is not null || now < retryAt)
        {
            return;
        }

        // Nothing is recorded before a venue's leg is up or coming up: a conference nobody reached has nothing to hear or see.
        if (since is null && roster.LiveVenues(SessionId).Count > 0)
        {
            since = now;
        }

        var video = media.VideoCodecOf(SessionId);
        if (since is not { } first || (video == VideoCodec.None && now - first < options.VideoWait))
        {
            return;
        }

        StartPart(video, now);
    }

    /// <summary>
    /// Watches the part being written: ends it when its ffmpeg has exited or the session's video came after a
    /// start with sound alone; asks for a picture until the first segment is written; reports its length when
    /// <paramref name="reportProgress"/>. Returns the ending of a part it ended.
    /// </summary>
    public Task? Tick(DateTimeOffset now, bool reportProgress)
    {
        if (Leg is not { } leg || process is not { } running || Part is not { } part)
        {
            return null;
        }

        if (running.HasExited)
        {
            var quick = now - partStartedAt < SteadyPart;
            strikes = quick ? strikes + 1 : 1;
            retryAt = now + Backoff(strikes);
            LogPartEnded(RecordingId, part, running.ExitCode ?? -1);
            return EndPart($"ffmpeg exited with code {running.ExitCode}");
        }

        if (codec == VideoCodec.None && media.VideoCodecOf(SessionId) != VideoCodec.None)
        {
            // Video came after a start with sound alone: a new part carries both.
            retryAt = now;
            return EndPart("the session's video started");
        }

        if (!segmented)
        {
            segmented = RecordingFolder.PartSeconds(options.Root, RecordingId, part) > 0;
            if (!segmented && now - lastReady >= ReadyEvery)
            {
                // ffmpeg may have bound its ports after the first keyframe went by: ask again.
                lastReady = now;
                media.Ready(leg);
            }
        }
        else if (codec == VideoCodec.H264 && leg.VideoSource is not null && now - lastReady >= TimeSpan.FromSeconds(options.SegmentSeconds))
        {
            // A copied picture can only be cut at keyframes: a venue is asked for one per segment (a camera keeps its own rhythm).
            lastReady = now;
            media.Ready(leg);
        }

        if (reportProgress)
        {
            reports.Report(RecordingId, new RecordingReport("", RecordingReportKind.Progress, part, RecordingFolder.PartSeconds(options.Root, RecordingId, part), now, null));
        }

        return null;
    }

    /// <summary>
    /// Lets the part's ffmpeg finish in the background, its leg still feeding it so it sees the request to
    /// close its playlist, then takes the leg out of the conference (and forgets the room of a session that
    /// ended) and reports the part's length. Returns that ending, or null when no part was being written.
    /// </summary>
    public Task? EndPart(string? reason, bool sessionEnded = false)
    {
        var (leg, stopped, part, grace) = (Leg, process, Part, options.StopGrace);
        (Leg, process, Part) = (null, null, null);
        if (leg is null && stopped is null && part is null)
        {
            return null;
        }

        return Task.Run(() =>
        {
            try
            {
                stopped?.Stop(grace);
                stopped?.Dispose();
                if (leg is not null)
                {
                    media.Remove(leg);
                    if (sessionEnded)
                    {
                        media.Close(SessionId);
                    }
                }

                if (part is not null)
                {
                    reports.Report(RecordingId, new RecordingReport("", RecordingReportKind.PartEnded, part, RecordingFolder.PartSeconds(options.Root, RecordingId, part), time.GetUtcNow(), reason));
                }
            }
            catch (Exception e)
            {
                LogStopFailed(e, RecordingId, part ?? "");
            }
        });
    }

    private void StartPart(VideoCodec video, DateTimeOffset now)
    {
        ConferenceLeg? leg = null;
        FfmpegProcess? started = null;
        string? part = null;
        try
        {
            var folder = Path.Combine(options.Root, RecordingId);
            Directory.CreateDirectory(folder);
            part = RecordingFolder.NextPart(folder);
            var partFolder = Path.Combine(folder, part);
            Directory.CreateDirectory(partFolder);
            var audioPort = RecorderPorts.Pair(media.Ports);
            int? videoPort = video == VideoCodec.None ? null : RecorderPorts.Pair(media.Ports, exclude: audioPort);
            File.WriteAllText(Path.Combine(partFolder, FfmpegArguments.SdpFile), RecordingSdp.Write(audioPort, videoPort, video));
            started = FfmpegProcess.Start(options.Ffmpeg, FfmpegArguments.For(partFolder, video, options.SegmentSeconds, options.SilenceExit), logger, $"{RecordingId}/{part}");
            leg = media.CreateLeg(SessionId, RecorderLegs.MemberId);
            var audio = Stream(RecordingSdp.AudioCodec, audioPort);
            var videoStream = videoPort is { } port && RecordingSdp.VideoCodecFor(video) is { } videoCodec ? Stream(videoCodec, port) : null;
            media.Negotiated(leg, new NegotiatedMedia(audio, videoStream, video));
            (Leg, process, lastProcess, Part, codec) = (leg, started, started, part, video);
            (partStartedAt, segmented, lastReady) = (now, false, now);
            media.Ready(leg);
            LogPartStarted(RecordingId, part, SessionId, video, started.Id);
            reports.Report(RecordingId, new RecordingReport("", RecordingReportKind.PartStarted, part, 0, now, video.ToString()));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException or SocketException)
        {
            started?.Dispose();
            if (leg is not null)
            {
                media.Remove(leg);
            }

            strikes++;
            retryAt = now + Backoff(strikes);
            LogPartFailed(e, RecordingId, SessionId);
            reports.Report(RecordingId, new RecordingReport("", RecordingReportKind.PartEnded, part ?? "", 0, now, $"the recorder could not start: {e.Message}"));
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var delay = options.RestartFirst * Math.Pow(2, Math.Clamp(failures - 1, 0, 16));
        return delay < options.RestartMax ? delay : options.RestartMax;
    }

    private static NegotiatedStream Stream(SdpCodec codec, int port) =>
        new(codec, null, new IPEndPoint(IPAddress.Loopback, port), new IPEndPoint(IPAddress.Loopback, port + 1), false, MediaDirection.RecvOnly);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} of session {SessionId} writes {Part} ({Codec} video) with ffmpeg {Pid}")]
    private partial void LogPartStarted(string recordingId, string part, string sessionId, VideoCodec codec, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId}: the ffmpeg of {Part} exited with code {Code}; a new part follows")]
    private partial void LogPartEnded(string recordingId, string part, int code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} of session {SessionId} could not start a part; trying again")]
    private partial void LogPartFailed(Exception e, string recordingId, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId}: stopping {Part} failed")]
    private partial void LogStopFailed(Exception e, string recordingId, string part);
}
