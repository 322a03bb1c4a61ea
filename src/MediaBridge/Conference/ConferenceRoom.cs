using System.Buffers.Binary;
using MediaBridge.Audio;
using MediaBridge.Rtcp;
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
    private static readonly long KeyframeRepeatTicks = TimeSpan.FromMilliseconds(300).Ticks;

    /// <summary>How far apart a camera's cached pictures are replayed (1 ms at 90 kHz), so a receiver decodes them at once.</summary>
    private const uint ReplayStep = 90;

    private static uint nextFeedAnchor;

    private readonly Lock gate = new();

    /// <summary>Held by the clock while it encodes outside <see cref="gate"/>; taken before a leg's voice is replaced or disposed.</summary>
    private readonly Lock encoding = new();
    private readonly List<ConferenceLeg> legs = [];
    private readonly List<CameraFeed> feeds = [];
    private readonly NMinusOneMixer mixer = new(ConferenceLeg.FrameSamples);
    private readonly SpeakerSelector speakerSet = new(speakers);
    private readonly SharedMix shared = new();
    private readonly short[] common = new short[ConferenceLeg.FrameSamples];
    private readonly List<AudioSend> sends = [];
    private readonly byte[] scratch = new byte[RtpSocket.MaxPacket];
    private readonly short[] decoded = new short[LegVoice.MaxDecodedSamples];
    private readonly Dictionary<uint, (long Packets, long Bytes, long Out)> lastMeasure = [];
    private long lastMeasureTicks = MediaClock.NowTicks;
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
                return [.. speakerSet.Speakers];
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
                return [.. shared.Voices];
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
                RequestKeyframe(source, force: true);
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
                NewFeedAnchor(receiver, feed.Id);
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
    public void Tick(long nowTicks)
    {
        lock (encoding)
        {
            lock (gate)
            {
                TakeMixes();
                RepeatKeyframeRequests(nowTicks);
            }

            shared.Encode(common);
            foreach (var send in sends)
            {
                if (send.Voice == send.Leg.Voice)
                {
                    send.Voice.EncodeFrame(send.Voice.Mix);
                }
            }

            lock (gate)
            {
                foreach (var send in sends)
                {
                    SendAudio(send);
                }
            }

            sends.Clear();
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
        var measures = new List<LegMeasure>();
        lock (gate)
        {
            var seconds = Math.Max(0.001, (nowTicks - lastMeasureTicks) / (double)TimeSpan.TicksPerSecond);
            lastMeasureTicks = nowTicks;
            foreach (var leg in legs)
            {
                SendReport(leg.Audio, now);
                SendReport(leg.Video, now);
                var packets = leg.Audio.Reception.Received + leg.Video.Reception.Received;
                var bytes = leg.Audio.Reception.Bytes + leg.Video.Reception.Bytes;
                var sent = leg.Audio.BytesOut + leg.Video.BytesOut;
                var last = lastMeasure.GetValueOrDefault(leg.Id);
                lastMeasure[leg.Id] = (packets, bytes, sent);
                measures.Add(new LegMeasure(
                    leg.VenueId,
                    leg.Audio.Negotiated?.Codec.Name,
                    leg.Video.Negotiated?.Codec.Name,
                    packets,
                    leg.Audio.PacketsOut + leg.Video.PacketsOut,
                    Math.Max(0, leg.Audio.Reception.Lost) + Math.Max(0, leg.Video.Reception.Lost),
                    Math.Max(leg.Audio.Reception.JitterMilliseconds, leg.Video.Reception.JitterMilliseconds),
                    (bytes - last.Bytes) * 8 / 1000.0 / seconds,
                    (sent - last.Out) * 8 / 1000.0 / seconds,
                    leg.Audio.RemoteLost is null && leg.Video.RemoteLost is null ? null : (leg.Audio.RemoteLost ?? 0) + (leg.Video.RemoteLost ?? 0),
                    leg.Audio.RemoteJitter is { } j ? j / 8.0 : null));
            }
        }

        return measures;
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
            shared.Dispose();
        }
    }

    /// <summary>
    /// Reads every leg's frame, picks the speakers among the unmuted legs that sent one, mixes them, and lists
    /// what each leg is to be sent: a speaker its own mix without itself, everyone else the shared mix. Each
    /// leg's RTP timestamp moves on every frame, whichever mix it hears, so its stream stays continuous.
    /// </summary>
    private void TakeMixes()
    {
        mixer.Begin();
        speakerSet.Begin();
        foreach (var leg in legs)
        {
            var has = leg.Fifo.TryRead(leg.Frame);
            leg.Contributed = has && !leg.Muted;
            if (leg.Contributed)
            {
                speakerSet.Offer(leg.Id, leg.Frame);
            }
            else if (!leg.Muted)
            {
                speakerSet.Keep(leg.Id);
            }
        }

        speakerSet.Select();
        foreach (var leg in legs)
        {
            if (leg.Contributed && speakerSet.IsSpeaker(leg.Id))
            {
                mixer.Add(leg.Frame);
            }
        }

        mixer.Render([], contributed: false, common);
        foreach (var leg in legs)
        {
            if (!leg.Audio.CanSend || leg.Voice is not { } voice)
            {
                continue;
            }

            LegVoice encoder;
            if (leg.Contributed && speakerSet.IsSpeaker(leg.Id))
            {
                mixer.Render(leg.Frame, contributed: true, voice.Mix);
                encoder = voice;
            }
            else
            {
                encoder = shared.Want(voice);
            }

            sends.Add(new AudioSend(leg, encoder, leg.AudioTimestamp));
            leg.AudioTimestamp += (uint)voice.TimestampStep;
        }
    }

    private void RepeatKeyframeRequests(long nowTicks)
    {
        foreach (var leg in legs)
        {
            if (leg.Switch is { WantsKeyframe: true, Pending: { } pending } && nowTicks - leg.LastKeyframeRequestTicks > KeyframeRepeatTicks)
            {
                leg.LastKeyframeRequestTicks = nowTicks;
                if (Find(pending) is { } source)
                {
                    RequestKeyframe(source, force: false);
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
                RequestKeyframe(source, force: true);
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

        NewFeedAnchor(receiver, feed.Id);
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
            SendVideo(receiver, packet, header, FeedAnchor(receiver, feed.Id), nowTicks);
        }

        SendHeld(receiver, s, nowTicks);
    }

    /// <summary>
    /// The anchor a camera's packets go out under to this receiver. While a switch between cameras waits
    /// for the new one's keyframe the old one keeps flowing, and the two must not share an anchor: the new
    /// camera's numbering would then follow on from the old one's offsets and jump at the receiver.
    /// </summary>
    private static uint FeedAnchor(ConferenceLeg receiver, uint feedId)
    {
        if (receiver.FeedAnchorOf != feedId)
        {
            NewFeedAnchor(receiver, feedId);
        }

        return receiver.FeedAnchor;
    }

    private static void NewFeedAnchor(ConferenceLeg receiver, uint feedId)
    {
        receiver.FeedAnchor = CameraFeed.IdRange | 0x4000_0000 | (Interlocked.Increment(ref nextFeedAnchor) & 0x3FFF_FFFF);
        receiver.FeedAnchorOf = feedId;
    }

    /// <summary>What the switch releases once the old source's frame has ended, under the anchor of the source it is from.</summary>
    private void SendHeld(ConferenceLeg receiver, VideoSwitch s, long nowTicks)
    {
        while (s.TakeHeld(out var held, out var length))
        {
            if (RtpHeader.TryRead(held.AsSpan(0, length), out var heldHeader) && s.Current is { } current)
            {
                SendVideo(receiver, held.AsSpan(0, length), heldHeader, (current & CameraFeed.IdRange) != 0 ? FeedAnchor(receiver, current) : current, nowTicks);
            }

            System.Buffers.ArrayPool<byte>.Shared.Return(held);
        }
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
                OnRtcp(leg, stream, packet);
            }
            else if (!RtpHeader.TryRead(packet, out var header))
            {
                stream.Malformed++;
            }
            else if (stream == leg.Audio)
            {
                OnAudio(leg, header, packet, nowTicks);
            }
            else
            {
                OnVideo(leg, header, packet, nowTicks);
            }
        }
    }

    private void OnAudio(ConferenceLeg leg, in RtpHeader header, ReadOnlySpan<byte> packet, long nowTicks)
    {
        leg.Audio.Reception.Update(header, packet.Length, nowTicks);
        if (leg.Audio.Negotiated is { } n && header.PayloadType == n.Codec.PayloadType && leg.Voice is { } voice)
        {
            var count = voice.Decode(RtpHeader.Payload(packet, header), decoded);
            leg.Fifo.Write(decoded.AsSpan(0, count));
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
                SendVideo(receiver, packet, header, source.Id, nowTicks);
            }

            SendHeld(receiver, s, nowTicks);
        }
    }

    private void SendVideo(ConferenceLeg receiver, ReadOnlySpan<byte> packet, in RtpHeader header, uint source, long nowTicks)
    {
        var stream = receiver.Video;
        if (!stream.CanSend)
        {
            return;
        }

        var copy = scratch.AsSpan(0, packet.Length);
        packet.CopyTo(copy);
        receiver.VideoOut.Rewrite(copy, header, source, nowTicks);
        RtpHeader.SetPayloadType(copy, (byte)stream.Negotiated!.Codec.PayloadType);
        stream.Path.SendRtp(copy);
        stream.PacketsOut++;
        stream.BytesOut += packet.Length;
        stream.LastTimestampOut = BinaryPrimitives.ReadUInt32BigEndian(copy[4..]);
    }

    /// <summary>Sends one leg its encoded frame under its own SSRC, sequence number and timestamp.</summary>
    private void SendAudio(in AudioSend send)
    {
        var (leg, voice, timestamp) = send;
        var stream = leg.Audio;
        var length = voice.PayloadLength;
        if (length == 0 || !stream.CanSend)
        {
            return;
        }

        var packet = scratch.AsSpan(0, RtpHeader.FixedLength + length);
        voice.Payload.CopyTo(packet[RtpHeader.FixedLength..]);
        packet[0] = 0x80;
        packet[1] = (byte)stream.Negotiated!.Codec.PayloadType;
        RtpHeader.Rewrite(packet, leg.AudioSequence++, timestamp, stream.OutSsrc);
        stream.LastTimestampOut = timestamp;
        stream.Path.SendRtp(packet);
        stream.PacketsOut++;
        stream.BytesOut += packet.Length;
    }

    private static void OnRtcp(ConferenceLeg leg, LegStream stream, ReadOnlySpan<byte> packet)
    {
        if (!RtcpReader.TryRead(packet, stream.OutSsrc, out var summary))
        {
            stream.Malformed++;
            return;
        }

        if (summary.Block is { } block)
        {
            stream.RemoteLost = Math.Max(0, block.CumulativeLost);
            stream.RemoteJitter = block.Jitter;
        }

        if (summary.KeyframeRequested && stream == leg.Video && leg.Switch?.Current is { } current && leg.VideoSource?.Id == current)
        {
            // A receiver lost its picture: the request goes on to the source it is watching.
            RequestKeyframe(leg.VideoSource, force: false);
        }
    }

    /// <summary>PLI (RFC 4585 §6.3.1) and FIR (RFC 5104 §4.3.1) together: terminals honour one or the other.</summary>
    private static void RequestKeyframe(ConferenceLeg source, bool force)
    {
        var stream = source.Video;
        var now = MediaClock.NowTicks;
        if (!stream.Path.CanSendRtcp || !stream.Reception.Started || (!force && now - source.LastKeyframeRequestTicks < KeyframeRepeatTicks / 2))
        {
            return;
        }

        source.LastKeyframeRequestTicks = now;
        Span<byte> buffer = stackalloc byte[RtcpFeedback.PliLength + RtcpFeedback.FirLength];
        var length = RtcpFeedback.WritePli(buffer, stream.OutSsrc, stream.Reception.Ssrc);
        length += RtcpFeedback.WriteFir(buffer[length..], stream.OutSsrc, stream.Reception.Ssrc, source.FirSequence++);
        stream.Path.SendRtcp(buffer[..length]);
    }

    private static void SendReport(LegStream stream, DateTimeOffset now)
    {
        if (!stream.Path.CanSendRtcp || stream.Negotiated is null)
        {
            return;
        }

        Span<byte> buffer = stackalloc byte[RtcpReports.SenderReportLength + RtcpReports.BlockLength + RtcpFeedback.RembLength];
        ReportBlock? block = stream.Reception.Started
            ? new ReportBlock(stream.Reception.Ssrc, stream.Reception.TakeFractionLost(), (int)Math.Clamp(stream.Reception.Lost, int.MinValue, int.MaxValue),
                stream.Reception.ExtendedHighest, stream.Reception.Jitter, 0, 0)
            : null;
        if (stream.PacketsOut == 0 && block is null)
        {
            // Nothing sent and nothing heard: a sender report now would tie timestamp 0 to the wall clock, and a
            // receiver that syncs by it (ffmpeg) would shift the stream's real timestamps by a random amount.
            return;
        }

        var length = stream.PacketsOut > 0
            ? RtcpReports.WriteSenderReport(buffer, stream.OutSsrc, now, stream.LastTimestampOut, (uint)stream.PacketsOut, (uint)stream.BytesOut, block)
            : RtcpReports.WriteReceiverReport(buffer, stream.OutSsrc, block!.Value);
        if (stream.AllowedBitrate is { } allowed && stream.Reception.Started)
        {
            // RFC 5506 allows feedback in a compound that starts with a report; a browser raises its rate up to this.
            length += RtcpFeedback.WriteRemb(buffer[length..], stream.OutSsrc, stream.Reception.Ssrc, allowed);
        }

        stream.Path.SendRtcp(buffer[..length]);
    }

    /// <summary>One leg's audio this frame: the voice whose payload it is sent (its own or the shared mix's) and its timestamp.</summary>
    private readonly record struct AudioSend(ConferenceLeg Leg, LegVoice Voice, uint Timestamp);
}
