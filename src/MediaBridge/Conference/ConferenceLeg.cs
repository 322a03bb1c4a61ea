using MediaBridge.Rtp;
using MediaBridge.Sdp;

namespace MediaBridge.Conference;

/// <summary>
/// One venue in a conference: its audio and video streams, the audio waiting to be mixed, its own
/// outgoing audio numbering, and the video switch that decides which source it sees.
/// </summary>
public sealed class ConferenceLeg : IDisposable
{
    public const int FrameSamples = LegVoice.FrameSamples;

    internal ConferenceLeg(uint id, string sessionId, string venueId, MediaPorts ports)
        : this(id, sessionId, venueId, UdpPaths(ports))
    {
    }

    internal ConferenceLeg(uint id, string sessionId, string venueId, Func<ConferenceLeg, (LegStream Audio, LegStream Video, ILegTransport Transport)> transport)
    {
        Id = id;
        SessionId = sessionId;
        VenueId = venueId;
        (Audio, Video, Transport) = transport(this);
        VideoOut = new OutgoingStream(Video.OutSsrc, 90000);
        AudioSequence = (ushort)Random.Shared.Next(ushort.MaxValue);
        AudioTimestamp = (uint)Random.Shared.NextInt64(uint.MaxValue);
    }

    public uint Id { get; }

    public string SessionId { get; }

    public string VenueId { get; }

    public LegStream Audio { get; }

    public LegStream Video { get; }

    public ILegTransport Transport { get; }

    public bool Negotiated { get; private set; }

    public bool Muted { get; internal set; }

    /// <summary>The leg whose video this one receives, as the plan says.</summary>
    public ConferenceLeg? VideoSource { get; internal set; }

    public long NegotiatedTicks { get; private set; }

    /// <summary>The camera whose video this one receives, as the plan says (then <see cref="VideoSource"/> is null).</summary>
    public CameraFeed? Feed { get; internal set; }

    /// <summary>The anchor of this receiver's numbering for camera packets; a new one for each replay of a camera's cache.</summary>
    internal uint FeedAnchor { get; set; }

    /// <summary>The camera <see cref="FeedAnchor"/> was made for: another camera's packets take an anchor of their own.</summary>
    internal uint FeedAnchorOf { get; set; }

    /// <summary>The camera sequence number the last replay reached; live packets up to it were sent from the cache.</summary>
    internal ushort? FeedReplayedThrough { get; set; }

    internal VideoSwitch? Switch { get; set; }

    internal OutgoingStream VideoOut { get; }

    internal AudioFifo Fifo { get; } = new(10 * FrameSamples);

    internal short[] Frame { get; } = new short[FrameSamples];

    internal bool Contributed { get; set; }

    internal ushort AudioSequence { get; set; }

    internal uint AudioTimestamp { get; set; }

    /// <summary>The leg's audio codec at the mix rate, once negotiated.</summary>
    internal LegVoice? Voice { get; private set; }

    internal long LastKeyframeRequestTicks { get; set; }

    internal byte FirSequence { get; set; }

    internal void Negotiate(NegotiatedMedia media)
    {
        if (media.Audio is { } audio)
        {
            Audio.Negotiate(audio);
            if (Voice?.Codec != audio.Codec)
            {
                Voice?.Dispose();
                Voice = LegVoice.For(audio.Codec);
            }
        }

        if (media.Video is { } video)
        {
            Video.Negotiate(video);
            Switch ??= new VideoSwitch(media.VideoCodec);
        }

        if (!Negotiated)
        {
            NegotiatedTicks = MediaClock.NowTicks;
        }

        Negotiated = true;
    }

    public void Dispose()
    {
        Transport.Dispose();
        Voice?.Dispose();
    }

    private static Func<ConferenceLeg, (LegStream, LegStream, ILegTransport)> UdpPaths(MediaPorts ports) => _ =>
    {
        var audioPath = new UdpPairPath(ports);
        UdpPairPath videoPath;
        try
        {
            videoPath = new UdpPairPath(ports);
        }
        catch
        {
            audioPath.Dispose();
            throw;
        }

        var audio = new LegStream(audioPath, 8000);
        var video = new LegStream(videoPath, 90000);
        return (audio, video, new UdpLegTransport(audio, audioPath, video, videoPath));
    };
}
