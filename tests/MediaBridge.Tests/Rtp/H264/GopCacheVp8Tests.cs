using MediaBridge.Rtp;
using MediaBridge.Rtp.H264;
using MediaBridge.Sdp;

namespace MediaBridge.Tests.Rtp.H264;

/// <summary>
/// The keyframe cache of a VP8 camera (a transcode): a group starts at a packet whose payload descriptor
/// (RFC 7741 §4.2) has S set and partition 0, and whose VP8 payload header (§4.3) has the P bit clear,
/// whatever optional descriptor fields come between. Payloads are written out byte by byte.
/// </summary>
public sealed class GopCacheVp8Tests
{
    /// <summary>Descriptor 0x10 (S, partition 0), then a key frame's first bytes: P clear, start code 9d 01 2a.</summary>
    private static readonly byte[] KeyStart = [0x10, 0x50, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00];

    /// <summary>The same with X set, a 15-bit picture ID (I, M), TL0PICIDX (L) and a TID byte (T).</summary>
    private static readonly byte[] KeyStartExtended = [0x90, 0xE0, 0x81, 0x23, 0x07, 0x40, 0x50, 0x02, 0x00, 0x9D, 0x01, 0x2A];

    /// <summary>A key frame's later packet: S clear.</summary>
    private static readonly byte[] KeyMore = [0x00, 0x11, 0x22, 0x33];

    /// <summary>An inter frame's start: S set, partition 0, P set.</summary>
    private static readonly byte[] InterStart = [0x10, 0x31, 0x02, 0x00, 0x11];

    /// <summary>An inter frame's start behind an extended descriptor with a 7-bit picture ID: P set.</summary>
    private static readonly byte[] InterStartExtended = [0x90, 0x80, 0x05, 0x31, 0x02, 0x00];

    /// <summary>S set but partition 1: a later partition's start is no frame's start, whatever its next byte.</summary>
    private static readonly byte[] Partition1Start = [0x11, 0x50, 0x02, 0x00];

    private uint timestamp = 3000;
    private ushort sequence = 100;

    [Fact]
    public void The_keyframe_rule_reads_the_descriptor_and_the_P_bit()
    {
        Assert.True(Keyframes.IsKeyframeStart(VideoCodec.Vp8, KeyStart));
        Assert.True(Keyframes.IsKeyframeStart(VideoCodec.Vp8, KeyStartExtended));
        Assert.False(Keyframes.IsKeyframeStart(VideoCodec.Vp8, KeyMore));
        Assert.False(Keyframes.IsKeyframeStart(VideoCodec.Vp8, InterStart));
        Assert.False(Keyframes.IsKeyframeStart(VideoCodec.Vp8, InterStartExtended));
        Assert.False(Keyframes.IsKeyframeStart(VideoCodec.Vp8, Partition1Start));
        Assert.False(Keyframes.IsKeyframeStart(VideoCodec.Vp8, [0x90, 0x80]));
    }

    [Fact]
    public void Pictures_before_the_first_keyframe_are_not_kept_and_the_group_starts_at_it()
    {
        var cache = new GopCache(codec: VideoCodec.Vp8);
        Picture(cache, InterStart, KeyMore);
        Picture(cache, InterStartExtended);
        Assert.Empty(cache.Snapshot());

        var key = sequence;
        Picture(cache, KeyStartExtended, KeyMore, KeyMore);
        Picture(cache, InterStart, KeyMore);
        Picture(cache, InterStartExtended);

        var snapshot = cache.Snapshot();
        Assert.Equal(3 + 2 + 1, snapshot.Count);
        Assert.Equal(key, Sequence(snapshot[0]));
        Assert.True(Keyframes.IsKeyframeStart(VideoCodec.Vp8, Payload(snapshot[0])));
    }

    [Fact]
    public void A_new_keyframe_replaces_the_group_and_a_later_partitions_start_does_not()
    {
        var cache = new GopCache(codec: VideoCodec.Vp8);
        Picture(cache, KeyStart, KeyMore);
        Picture(cache, Partition1Start, KeyMore);
        Assert.Equal(4, cache.Snapshot().Count);

        var second = sequence;
        Picture(cache, KeyStart);
        Picture(cache, InterStart);
        var snapshot = cache.Snapshot();
        Assert.Equal(second, Sequence(snapshot[0]));
        Assert.Equal(2, snapshot.Count);
    }

    [Fact]
    public void A_lost_packet_empties_the_cache_until_the_next_keyframe()
    {
        var cache = new GopCache(codec: VideoCodec.Vp8);
        Picture(cache, KeyStart, KeyMore);
        sequence++;
        Picture(cache, InterStart);
        Assert.Empty(cache.Snapshot());

        Picture(cache, KeyStart);
        Assert.Single(cache.Snapshot());
    }

    [Fact]
    public void Each_codec_keeps_to_its_own_rule()
    {
        // A VP8 key frame's descriptor read as H.264 is NAL type 16, and an H.264 IDR read as VP8 has S clear.
        var h264 = new GopCache();
        Picture(h264, KeyStart);
        Assert.Empty(h264.Snapshot());

        var vp8 = new GopCache(codec: VideoCodec.Vp8);
        Picture(vp8, new byte[] { 0x65, 0x88, 0x80 });
        Picture(vp8, new byte[] { 0x7C, 0x85, 0x88 });
        Assert.Empty(vp8.Snapshot());
    }

    private static ushort Sequence(byte[] packet) => (ushort)((packet[2] << 8) | packet[3]);

    private static byte[] Payload(byte[] packet)
    {
        Assert.True(RtpHeader.TryRead(packet, out var header));
        return RtpHeader.Payload(packet, header).ToArray();
    }

    private void Picture(GopCache cache, params byte[][] payloads)
    {
        for (var i = 0; i < payloads.Length; i++)
        {
            cache.Add(Packets.Rtp(0x1234, sequence++, timestamp, i == payloads.Length - 1, 96, payloads[i]));
        }

        timestamp += 3000;
    }
}
