using System.Collections.Concurrent;
using MediaBridge.Rtp;
using MediaBridge.Sdp;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Conference;

/// <summary>
/// All conferences of this bridge and the one clock that drives them: every 20 ms each room mixes
/// and sends its audio; every few seconds each room reports its legs, and legs whose media has
/// stopped are handed to <see cref="LegSilent"/>.
/// </summary>
public sealed partial class MediaEngine : IDisposable
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    /// <summary>The clock's step while no room has a leg with audio: a video-only bridge need not wake 50 times a second.</summary>
    private static readonly TimeSpan QuietStep = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<string, ConferenceRoom> rooms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, VideoCodec> videoCodecs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Due, int Left)> earlyReports = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Session, CameraFeed Camera), CameraFeed> feedUses = [];
    private readonly MediaPorts ports;
    private readonly ILogger logger;
    private readonly Thread clock;
    private readonly CancellationTokenSource stopping = new();
    private uint nextLegId;
    private uint nextFeedId;

    public MediaEngine(MediaPorts ports, ILogger<MediaEngine> logger)
    {
        this.ports = ports;
        this.logger = logger;
        clock = new Thread(Run) { IsBackground = true, Name = "media-clock", Priority = ThreadPriority.AboveNormal };
        clock.Start();
    }

    /// <summary>Raised on the clock thread with legs that have sent nothing for <see cref="SilenceLimit"/>.</summary>
    public event Action<ConferenceLeg>? LegSilent;

    /// <summary>Raised on the clock thread every <see cref="ReportEvery"/> with each room's figures.</summary>
    public event Action<string, IReadOnlyList<LegMeasure>>? Measured;

    public TimeSpan SilenceLimit { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan ReportEvery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A room whose leg has just been negotiated reports this long after, and again twice as long after
    /// that, ahead of its steady <see cref="ReportEvery"/>: a joined or re-established leg shows its media
    /// flowing within a second or two, not after up to a whole period of zeros.
    /// </summary>
    public TimeSpan FirstReportAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many of a room's loudest legs get an N-1 mix of their own; the others share one mix of them.</summary>
    public int Speakers { get; init; } = Audio.SpeakerSelector.DefaultCount;

    public int ConferenceCount => rooms.Count;

    public int LegCount => rooms.Values.Sum(r => r.LegCount);

    /// <summary>The bridge's RTP port range, for helpers of its own (a recorder's ffmpeg) that listen on ports of it.</summary>
    public MediaPorts Ports => ports;

    /// <summary>The session's video codec once a leg has fixed it; later legs must speak the same.</summary>
    public VideoCodec VideoCodecOf(string sessionId) => videoCodecs.GetValueOrDefault(sessionId);

    /// <summary>A leg with its four ports bound and listening, ready to be named in SDP.</summary>
    public ConferenceLeg CreateLeg(string sessionId, string venueId)
    {
        var leg = new ConferenceLeg(Interlocked.Increment(ref nextLegId), sessionId, venueId, ports);
        rooms.GetOrAdd(sessionId, id => new ConferenceRoom(id, Speakers)).Add(leg);
        return leg;
    }

    /// <summary>A leg whose media travel over the transport <paramref name="build"/> makes from the bridge's ports.</summary>
    public ConferenceLeg CreateLeg(string sessionId, string venueId, Func<ConferenceLeg, MediaPorts, (LegStream Audio, LegStream Video, ILegTransport Transport)> build)
    {
        var leg = new ConferenceLeg(Interlocked.Increment(ref nextLegId), sessionId, venueId, l => build(l, ports));
        rooms.GetOrAdd(sessionId, id => new ConferenceRoom(id, Speakers)).Add(leg);
        return leg;
    }

    public void Negotiated(ConferenceLeg leg, NegotiatedMedia media)
    {
        if (media.Video is not null)
        {
            videoCodecs.TryAdd(leg.SessionId, media.VideoCodec);
        }

        if (FirstReportAfter < ReportEvery)
        {
            earlyReports[leg.SessionId] = (MediaClock.NowTicks + FirstReportAfter.Ticks, 2);
        }

        if (rooms.TryGetValue(leg.SessionId, out var room))
        {
            room.Negotiated(leg, media);
        }
    }

    /// <summary>A leg's path can send from now on; its picture starts on a fresh keyframe.</summary>
    public void Ready(ConferenceLeg leg)
    {
        if (rooms.TryGetValue(leg.SessionId, out var room))
        {
            room.Ready(leg);
        }
    }

    public void Remove(ConferenceLeg leg)
    {
        if (rooms.TryGetValue(leg.SessionId, out var room))
        {
            room.Remove(leg);
        }
        else
        {
            leg.Dispose();
        }
    }

    /// <summary>Forgets a session's room once its last leg has gone.</summary>
    public void Close(string sessionId)
    {
        if (rooms.TryGetValue(sessionId, out var room) && room.LegCount == 0 && room.FeedCount == 0)
        {
            rooms.TryRemove(sessionId, out _);
            videoCodecs.TryRemove(sessionId, out _);
        }
    }

    /// <summary>A camera source with its keyframe cache, to be fed by one ingest and attached to the sessions that use it.</summary>
    public CameraFeed CreateFeed(string feedId, int cachePackets = 300, int cacheBytes = 2 * 1024 * 1024, VideoCodec codec = VideoCodec.H264) =>
        new(CameraFeed.IdRange | (Interlocked.Increment(ref nextFeedId) & 0x3FFF_FFFF), feedId, new Rtp.H264.GopCache(cachePackets, cacheBytes, codec));

    /// <summary>Where cameras in another codec come from, for sessions whose video is not the camera's.</summary>
    public ICameraVariants? Variants { get; set; }

    /// <summary>
    /// The session uses the camera. A session whose video no leg has fixed yet takes the camera's codec
    /// (H.264: what terminals and browsers all speak, with nothing to transcode); a session already fixed
    /// to another codec (a VP8-only first leg) is given the camera's variant in its codec instead.
    /// </summary>
    public void AttachFeed(string sessionId, CameraFeed feed)
    {
        var codec = videoCodecs.GetOrAdd(sessionId, feed.Codec);
        var attached = codec == feed.Codec ? feed : Variants?.Acquire(feed, codec) ?? feed;
        lock (feedUses)
        {
            feedUses[(sessionId, feed)] = attached;
        }

        rooms.GetOrAdd(sessionId, id => new ConferenceRoom(id, Speakers)).AttachFeed(attached);
    }

    public void DetachFeed(string sessionId, CameraFeed feed)
    {
        CameraFeed? attached;
        lock (feedUses)
        {
            feedUses.Remove((sessionId, feed), out attached);
        }

        attached ??= feed;
        if (rooms.TryGetValue(sessionId, out var room))
        {
            room.DetachFeed(attached);
        }

        if (attached != feed)
        {
            Variants?.Release(feed, attached.Codec);
        }
    }

    public void Route(string sessionId, IReadOnlyDictionary<string, (bool Muted, string? Source, string? Feed)> routes)
    {
        rooms.GetOrAdd(sessionId, id => new ConferenceRoom(id, Speakers)).Route(routes);
    }

    public void Dispose()
    {
        stopping.Cancel();
        clock.Join(TimeSpan.FromSeconds(1));
        foreach (var room in rooms.Values)
        {
            room.Dispose();
        }

        stopping.Dispose();
    }

    /// <summary>Keeps a steady 20 ms cadence against the monotonic clock, catching up (without bursts) after a stall.</summary>
    private void Run()
    {
        var next = MediaClock.NowTicks;
        var nextReport = next + ReportEvery.Ticks;
        while (!stopping.IsCancellationRequested)
        {
            var now = MediaClock.NowTicks;
            if (now < next)
            {
                // Whole milliseconds, at least one: a shorter sleep is a yield, and yielding until the tick spins a core.
                Thread.Sleep((int)Math.Clamp((next - now + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond, 1, QuietStep.TotalMilliseconds));
                continue;
            }

            var audible = false;
            try
            {
                foreach (var room in rooms.Values)
                {
                    audible |= room.Tick(now);
                }

                if (now >= nextReport)
                {
                    nextReport = now + ReportEvery.Ticks;
                    Report(now);
                }
                else if (!earlyReports.IsEmpty)
                {
                    ReportEarly(now);
                }
            }
            catch (Exception e)
            {
                LogClockFailed(e);
            }

            // Without a voice anywhere only keyframe repeats and reports remain, which a slower step serves as well.
            next = !audible ? now + QuietStep.Ticks : now - next > 5 * Frame.Ticks ? now + Frame.Ticks : next + Frame.Ticks;
        }
    }

    private void Report(long now)
    {
        var wall = DateTimeOffset.UtcNow;
        foreach (var room in rooms.Values)
        {
            Report(room, wall, now);
        }
    }

    private void ReportEarly(long now)
    {
        foreach (var (sessionId, (due, left)) in earlyReports)
        {
            if (now < due || !earlyReports.TryUpdate(sessionId, (now + (2 * FirstReportAfter.Ticks), left - 1), (due, left)))
            {
                continue;
            }

            if (left <= 1)
            {
                earlyReports.TryRemove(KeyValuePair.Create(sessionId, (now + (2 * FirstReportAfter.Ticks), left - 1)));
            }

            if (rooms.TryGetValue(sessionId, out var room))
            {
                Report(room, DateTimeOffset.UtcNow, now);
            }
        }
    }

    private void Report(ConferenceRoom room, DateTimeOffset wall, long now)
    {
        Measured?.Invoke(room.SessionId, room.Report(wall, now));
        foreach (var leg in room.Silent(SilenceLimit, now))
        {
            LegSilent?.Invoke(leg);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The media clock's step failed; it carries on")]
    private partial void LogClockFailed(Exception e);
}
