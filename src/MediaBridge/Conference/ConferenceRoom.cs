using MediaBridge.Audio;
using MediaBridge.Rtp;

namespace MediaBridge.Conference;

/// <summary>
/// One session's media: the RFC 7667 §3.7 switching topology for video and a mix of the active speakers
/// for audio (each speaker hears the others, every other leg hears one shared mix of all of them, encoded
/// once per format). Every callback takes the room's lock, so packets of different legs never race over a
/// receiver's rewriting state; the work under the lock is a header rewrite and a send per receiver. Audio
/// is encoded on the media clock outside that lock, so video fan-out never waits for it.
/// </summary>
/// <param name="speakers">How many of the loudest legs get an N-1 mix of their own.</param>
public sealed class ConferenceRoom(string sessionId, int speakers = SpeakerSelector.DefaultCount) : IDisposable
{
    /// <summary>How far apart a camera's cached pictures are replayed (1 ms at 90 kHz), so a receiver decodes them at once.</summary>
    private const uint ReplayStep = 90;

    private readonly Lock gate = new();

    /// <summary>Held by the clock while it encodes outside <see cref="gate"/>; taken before a leg's voice is replaced or disposed.</summary>
    private readonly Lock encoding = new();
    private readonly List<ConferenceLeg> legs = [];
    private readonly List<CameraFeed> feeds = [];
    private readonly RoomAudio audio = new(speakers);
    private readonly RoomMeasures measures = new();
    private readonly RoomVideo video = new();
    private readonly byte[] scratch = new byte[RtpSocket.MaxPacket];
    private IReadOnlyDictionary<string, (bool Muted, string? Source, string? Feed)> routes = new Dictionary<string, (bool, string?, string?)>();

    public string SessionId { get; } = sessionId;

    public int LegCount
    {
        get
        {
            lock (gate)
            {
                return legs.Count;
            }
        }
    }

    public void Add(ConferenceLeg leg)
    {
        lock (gate)
        {
            legs.Add(leg);
            ApplyRoutes();
        }

        leg.Transport.Start((stream, packet, rtcp) => OnPacket(leg, stream, packet, rtcp));
    }

    public void Remove(ConferenceLeg leg)
    {
        lock (gate)
        {
            legs.Remove(leg);
            foreach (var other in legs.Where(l => l.VideoSource == leg))
            {
                other.VideoSource = null;
            }
        }

        lock (encoding)
        {
            leg.Dispose();
        }
    }

    /// <summary>The active speakers' leg ids, as the last frame chose them.</summary>
    internal IReadOnlyList<uint> Speakers
    {
        get
        {
            lock (encoding)
            {
                return [.. audio.Speakers];
            }
        }
    }

    /// <summary>The encoders of the shared mix, one per format.</summary>
    internal IReadOnlyList<LegVoice> SharedVoices
    {
        get
        {
            lock (encoding)
            {
                return [.. audio.SharedVoices];
            }
        }
    }

    /// <summary>Records a leg's negotiated streams; a receiver joining asks its source for a keyframe.</summary>
    public void Negotiated(ConferenceLeg leg, Sdp.NegotiatedMedia media)
    {
        lock (encoding)
        lock (gate)
        {
            leg.Negotiate(media);
            ApplyRoutes();
        }
    }

    /// <summary>
    /// A leg that can send from now on (a browser once DTLS is done): what it was sent before was lost,
    /// so the source it watches is asked for a keyframe to start its picture.
    /// </summary>
    public void Ready(ConferenceLeg leg)
    {
        lock (gate)
        {
            if (leg.VideoSource is { } source)
            {
                LegRtcp.RequestKeyframe(source, force: true);
            }
            else if (leg.Feed is { } feed && leg.Switch is { } s && (s.Pending ?? s.Current) == feed.Id)
            {
                Replay(leg, s, feed);
            }
        }
    }

    /// <summary>A camera this session uses: receivers routed to it are switched to it, starting from its cached keyframe.</summary>
    public void AttachFeed(CameraFeed feed)
    {
        lock (gate)
        {
            if (!feeds.Contains(feed))
            {
                feeds.Add(feed);
            }

            ApplyRoutes();
        }

        feed.Attach(this);
    }

    /// <summary>The session no longer uses the camera; its receivers keep their last picture until routed elsewhere.</summary>
    public void DetachFeed(CameraFeed feed)
    {
        feed.Detach(this);
        lock (gate)
        {
            feeds.Remove(feed);
            foreach (var leg in legs.Where(l => l.Feed == feed))
            {
                leg.Feed = null;
            }
        }
    }

    public int FeedCount
    {
        get
        {
            lock (gate)
            {
                return feeds.Count;
            }
        }
    }

    /// <summary>The camera started a new stream (another SSRC): its receivers wait for its keyframe, under a fresh anchor of their numbering.</summary>
    internal void RestartFeed(CameraFeed feed)
    {
        lock (gate)
        {
            foreach (var receiver in legs.Where(l => l.Switch?.Current == feed.Id))
            {
                receiver.Switch!.AwaitKeyframe();
                RoomVideo.NewFeedAnchor(receiver, feed.Id);
                receiver.FeedReplayedThrough = null;
            }
        }
    }

    /// <summary>
    /// A camera's live packet, on its ingest's thread: given to each receiver switched (or switching) to
    /// it, with the same gating as a venue's video; a packet already sent from the cache is not sent again.
    /// </summary>
    internal void OnFeedPacket(CameraFeed feed, ReadOnlySpan<byte> packet, in RtpHeader header)
    {
        var nowTicks = MediaClock.NowTicks;
        lock (gate)
        {
            foreach (var receiver in legs)
            {
                if (receiver.Switch is not { } s || (s.Current != feed.Id && s.Pending != feed.Id))
                {
                    continue;
                }

                if (receiver.FeedReplayedThrough is { } through)
                {
                    if ((short)(header.SequenceNumber - through) <= 0)
                    {
                        continue;
                    }

                    receiver.FeedReplayedThrough = null;
                }

                ForwardFeed(receiver, s, feed, packet, header, nowTicks);
            }
        }
    }

    /// <summary>Applies the plan's mutes and video routes; every receiver whose source changes asks the new source for a keyframe.</summary>
    public void Route(IReadOnlyDictionary<string, (bool Muted, string? Source, string? Feed)> plan)
    {
        lock (gate)
        {
            routes = plan;
            ApplyRoutes();
        }
    }

    /// <summary>
    /// One 20 ms step: take the frames and mix them under the lock, encode outside it (Opus costs about
    /// 250 µs a frame), and send every leg its audio under the lock again; repeat keyframe requests still unanswered.
    /// </summary>
    /// <returns>Whether a leg of the room has a voice to be sent, and so needs the next frame on time.</returns>
    public bool Tick(long nowTicks)
    {
        lock (encoding)
        {
            bool audible;
            lock (gate)
            {
                audible = audio.TakeMixes(legs);
                RepeatKeyframeRequests(nowTicks);
            }

            if (!audible)
            {
                return false;
            }

            audio.Encode();
            lock (gate)
            {
                audio.Send(scratch);
            }

            return true;
        }
    }

    /// <summary>Legs that have sent no RTP for <paramref name="silence"/> since they were negotiated.</summary>
    public List<ConferenceLeg> Silent(TimeSpan silence, long nowTicks)
    {
        lock (gate)
        {
            return legs.Where(l => l.Negotiated
                && nowTicks - Math.Max(Math.Max(l.Audio.LastPacketTicks, l.Video.LastPacketTicks), l.NegotiatedTicks) > silence.Ticks).ToList();
        }
    }

    /// <summary>Sends each leg a sender report per stream (RFC 3550 §6.4.1) and returns what was measured since the last call.</summary>
    public List<LegMeasure> Report(DateTimeOffset now, long nowTicks)
    {
        lock (gate)
        {
            return measures.Take(legs, now, nowTicks);
        }
    }

    public void Dispose()
    {
        feeds.ForEach(f => f.Detach(this));
        lock (encoding)
        lock (gate)
        {
            feeds.Clear();
            legs.ForEach(l => l.Dispose());
            legs.Clear();
            audio.Dispose();
        }
    }

    private void RepeatKeyframeRequests(long nowTicks)
    {
        foreach (var leg in legs)
        {
            if (leg.Switch is { WantsKeyframe: true, Pending: { } pending } && nowTicks - leg.LastKeyframeRequestTicks > LegRtcp.KeyframeRepeatTicks)
            {
                leg.LastKeyframeRequestTicks = nowTicks;
                if (Find(pending) is { } source)
                {
                    LegRtcp.RequestKeyframe(source, force: false);
                }
            }
        }
    }

    /// <summary>A leg by id; a loop rather than a lambda, whose captured id would allocate for every leg each frame.</summary>
    private ConferenceLeg? Find(uint id)
    {
        foreach (var leg in legs)
        {
            if (leg.Id == id)
            {
                return leg;
            }
        }

        return null;
    }

    private void ApplyRoutes()
    {
        foreach (var leg in legs)
        {
            if (!routes.TryGetValue(leg.VenueId, out var route))
            {
                continue;
            }

            leg.Muted = route.Muted;
            if (route.Feed is not null)
            {
                RouteFeed(leg, route.Feed);
                continue;
            }

            leg.Feed = null;
            var source = route.Source is null ? null : legs.Find(l => l.VenueId == route.Source && l.Negotiated);
            leg.VideoSource = source;
            if (source is not null && leg.Switch is { } s && (s.Pending ?? s.Current) != source.Id)
            {
                s.Select(source.Id);
                LegRtcp.RequestKeyframe(source, force: true);
            }
        }
    }

    /// <summary>
    /// A receiver routed to a camera switches to it and is sent the camera's cached group of pictures
    /// at once; a camera ignores keyframe requests, so none is asked for. Only receivers of the camera's
    /// codec can be given its picture (a VP8 session is attached the camera's VP8 transcode).
    /// </summary>
    private void RouteFeed(ConferenceLeg leg, string feedId)
    {
        leg.VideoSource = null;
        var feed = feeds.Find(f => f.FeedId == feedId);
        leg.Feed = feed;
        if (feed is null || leg.Switch is not { } s || leg.Video.Negotiated?.Codec.Is(feed.Codec == Sdp.VideoCodec.Vp8 ? "VP8" : "H264") != true || (s.Pending ?? s.Current) == feed.Id)
        {
            return;
        }

        s.Select(feed.Id);
        Replay(leg, s, feed);
    }

    /// <summary>
    /// Sends a receiver the camera's cached pictures from the keyframe on, under a fresh anchor of its
    /// outgoing numbering so they continue its sequence. Their timestamps are drawn together (see
    /// <see cref="Rtp.H264.GopCache.Snapshot"/>) so the receiver's decoder catches up at once rather than
    /// holding the picture back by the group's age. A receiver that cannot be sent to yet is replayed when it is ready.
    /// </summary>
    private void Replay(ConferenceLeg receiver, VideoSwitch s, CameraFeed feed)
    {
        if (!receiver.Video.CanSend)
        {
            return;
        }

        RoomVideo.NewFeedAnchor(receiver, feed.Id);
        receiver.FeedReplayedThrough = null;
        var nowTicks = MediaClock.NowTicks;
        foreach (var packet in feed.Cache.Snapshot(ReplayStep))
        {
            if (RtpHeader.TryRead(packet, out var header))
            {
                ForwardFeed(receiver, s, feed, packet, header, nowTicks);
                receiver.FeedReplayedThrough = header.SequenceNumber;
            }
        }
    }

    private void ForwardFeed(ConferenceLeg receiver, VideoSwitch s, CameraFeed feed, ReadOnlySpan<byte> packet, in RtpHeader header, long nowTicks)
    {
        if (s.Offer(feed.Id, header, packet, nowTicks) == SwitchAction.Forward)
        {
            video.Send(receiver, packet, header, RoomVideo.FeedAnchor(receiver, feed.Id), nowTicks);
        }

        video.SendHeld(receiver, s, nowTicks);
    }

    private void OnPacket(ConferenceLeg leg, LegStream stream, ReadOnlySpan<byte> packet, bool isRtcp)
    {
        var nowTicks = MediaClock.NowTicks;
        lock (gate)
        {
            if (!leg.Negotiated)
            {
                return;
            }

            if (!isRtcp)
            {
                stream.Touch(nowTicks);
            }

            if (isRtcp)
            {
                LegRtcp.OnRtcp(leg, stream, packet);
            }
            else if (!RtpHeader.TryRead(packet, out var header))
            {
                stream.Malformed++;
            }
            else if (stream == leg.Audio)
            {
                audio.Decode(leg, header, packet, nowTicks);
            }
            else
            {
                OnVideo(leg, header, packet, nowTicks);
            }
        }
    }

    private void OnVideo(ConferenceLeg source, in RtpHeader header, ReadOnlySpan<byte> packet, long nowTicks)
    {
        source.Video.Reception.Update(header, packet.Length, nowTicks);
        if (source.Video.Negotiated is not { } n || header.PayloadType != n.Codec.PayloadType)
        {
            return;
        }

        foreach (var receiver in legs)
        {
            if (receiver == source || receiver.Switch is not { } s || (s.Current != source.Id && s.Pending != source.Id))
            {
                continue;
            }

            if (s.Offer(source.Id, header, packet, nowTicks) == SwitchAction.Forward)
            {
                video.Send(receiver, packet, header, source.Id, nowTicks);
            }

            video.SendHeld(receiver, s, nowTicks);
        }
    }
}
