using System.Collections.Immutable;
using MediaBridge.Rtp;
using MediaBridge.Rtp.H264;

namespace MediaBridge.Conference;

/// <summary>
/// A camera as the conferences see it: a source of H.264 RTP (or, transcoded for VP8 sessions, of VP8)
/// that sends and receives nothing else.
/// One ingest feeds it once per bridge; every room it is attached to gets each packet, and its
/// keyframe cache lets a receiver that switches to it start at once. It has no leg id: its
/// <see cref="Id"/> lies in a range of its own so receivers' switches tell it apart from venues.
/// </summary>
public sealed class CameraFeed
{
    internal const uint IdRange = 0x8000_0000;

    private readonly Lock gate = new();
    private ImmutableArray<ConferenceRoom> rooms = [];
    private ImmutableArray<RtpSink> taps = [];
    private long packets;
    private long malformed;
    private uint? ssrc;

    internal CameraFeed(uint id, string feedId, GopCache cache)
    {
        Id = id;
        FeedId = feedId;
        Cache = cache;
    }

    public uint Id { get; }

    public string FeedId { get; }

    public GopCache Cache { get; }

    public Sdp.VideoCodec Codec => Cache.Codec;

    public long Packets => Interlocked.Read(ref packets);

    public long Malformed => Interlocked.Read(ref malformed);

    public int Rooms => rooms.Length;

    /// <summary>One RTP packet of the camera's video, on the ingest's thread: kept in the cache, then handed to every room.</summary>
    public void Deliver(ReadOnlySpan<byte> packet)
    {
        if (packet.Length > RtpSocket.MaxPacket || !RtpHeader.TryRead(packet, out var header) || header.PayloadLength == 0)
        {
            Interlocked.Increment(ref malformed);
            return;
        }

        Interlocked.Increment(ref packets);
        var restarted = ssrc is { } known && known != header.Ssrc;
        ssrc = header.Ssrc;
        Cache.Add(packet);
        if (restarted)
        {
            foreach (var room in rooms)
            {
                room.RestartFeed(this);
            }
        }

        foreach (var room in rooms)
        {
            room.OnFeedPacket(this, packet, header);
        }

        foreach (var tap in taps)
        {
            tap(packet);
        }
    }

    /// <summary>Another taker of every packet besides the rooms: a transcode of the camera into another codec.</summary>
    public void AddTap(RtpSink tap)
    {
        lock (gate)
        {
            taps = taps.Add(tap);
        }
    }

    public void RemoveTap(RtpSink tap)
    {
        lock (gate)
        {
            taps = taps.Remove(tap);
        }
    }

    internal void Attach(ConferenceRoom room)
    {
        lock (gate)
        {
            if (!rooms.Contains(room))
            {
                rooms = rooms.Add(room);
            }
        }
    }

    internal void Detach(ConferenceRoom room)
    {
        lock (gate)
        {
            rooms = rooms.Remove(room);
        }
    }
}
