using System.Buffers.Binary;
using MediaBridge.Rtp;
using MediaBridge.Rtp.H264;
using MediaBridge.Rtsp;
using MediaBridge.Sdp;

namespace MediaBridge.Tests.Rtp.H264;

/// <summary>The keyframe cache: starts at a keyframe with its parameter sets, stays within bounds, never holds what would not decode.</summary>
public sealed class GopCacheTests
{
    private static readonly byte[] Sps = Convert.FromHexString("6742c00cd90141fb0110000003001000000301e0f142a480");
    private static readonly byte[] Pps = [0x68, 0xCE, 0x3C, 0x80];

    [Fact]
    public void Pictures_before_the_first_keyframe_are_not_kept_and_the_group_starts_at_it()
    {
        var camera = new Camera();
        var cache = new GopCache();
        camera.Picture(cache, key: false);
        camera.Picture(cache, key: false);
        Assert.Empty(cache.Snapshot());

        camera.Picture(cache, key: true);
        camera.Picture(cache, key: false);
        camera.Picture(cache, key: false, open: true);
        var snapshot = cache.Snapshot();

        Assert.True(IsKeyframeStart(snapshot[0]));
        Assert.Equal(7, Payload(snapshot[0])[0] & 0x1F);
        Assert.Equal(5 + 3 + 2, snapshot.Count);
        AssertDecodesFromTheStart(snapshot, pictures: 2);
    }

    [Fact]
    public void A_new_keyframe_replaces_the_group()
    {
        var camera = new Camera();
        var cache = new GopCache();
        camera.Picture(cache, key: true);
        camera.Picture(cache, key: false);
        var secondKey = camera.Sequence;
        camera.Picture(cache, key: true);
        camera.Picture(cache, key: false);

        var snapshot = cache.Snapshot();
        Assert.Equal(secondKey, Sequence(snapshot[0]));
        Assert.Equal(5 + 3, snapshot.Count);
    }

    [Fact]
    public void A_keyframe_without_parameter_sets_gets_them_from_the_description_or_from_before()
    {
        var camera = new Camera { InBandParameterSets = false };
        var cache = new GopCache();
        camera.Picture(cache, key: true);
        Assert.Empty(cache.Snapshot());

        cache.SetParameterSets([Sps, Pps]);
        var idr = camera.Sequence;
        camera.Picture(cache, key: true);
        camera.Picture(cache, key: false);
        var snapshot = cache.Snapshot();

        Assert.Equal(24, Payload(snapshot[0])[0] & 0x1F);
        Assert.True(IsKeyframeStart(snapshot[0]));
        Assert.Equal((ushort)(idr - 1), Sequence(snapshot[0]));
        Assert.Equal(idr, Sequence(snapshot[1]));
        AssertDecodesFromTheStart(snapshot, pictures: 2);
    }

    [Fact]
    public void A_group_past_its_packet_or_byte_bound_is_given_up_until_the_next_keyframe()
    {
        var camera = new Camera();
        var cache = new GopCache(maxPackets: 20, maxBytes: 1_000_000);
        camera.Picture(cache, key: true);
        for (var i = 0; i < 3; i++)
        {
            camera.Picture(cache, key: false);
        }

        Assert.Equal(14, cache.Count);
        camera.Picture(cache, key: false);
        camera.Picture(cache, key: false);
        Assert.Equal(20, cache.Count);
        camera.Picture(cache, key: false);
        Assert.Equal(0, cache.Count);
        Assert.Empty(cache.Snapshot());
        Assert.Equal(1, cache.Overflows);

        camera.Picture(cache, key: true);
        Assert.Equal(5, cache.Count);

        var small = new GopCache(maxPackets: 300, maxBytes: 2000);
        camera.Picture(small, key: true, size: 300);
        camera.Picture(small, key: false, size: 300);
        Assert.InRange(small.Bytes, 1, 2000);
        camera.Picture(small, key: false, size: 300);
        camera.Picture(small, key: false, size: 300);
        Assert.Empty(small.Snapshot());
    }

    /// <summary>
    /// A common camera setting, 1 Mbit/s with a keyframe every 4 s, in 1,200-byte packets: its whole group
    /// (about 430 packets, 520 KB) must fit the bridge's default bounds, or a switch to it waits for its next keyframe.
    /// </summary>
    [Fact]
    public void A_4_s_group_of_a_1_mbit_camera_fits_the_default_bounds()
    {
        var options = new MediaBridge.Legs.Feeds.FeedOptions();
        var cache = new GopCache(options.CachePackets, options.CacheBytes);
        ushort sequence = 1;
        uint timestamp = 90_000;
        for (var picture = 0; picture < 60; picture++, timestamp += 6000)
        {
            if (picture == 0)
            {
                cache.Add(Packets.Rtp(1, sequence++, timestamp, false, 96, Sps));
                cache.Add(Packets.Rtp(1, sequence++, timestamp, false, 96, Pps));
            }

            var parts = picture == 0 ? 20 : 7;
            for (var i = 0; i < parts; i++)
            {
                var payload = new byte[1188];
                payload[0] = 0x7C;
                payload[1] = (byte)((i == 0 ? 0x80 : 0) | (i == parts - 1 ? 0x40 : 0) | (picture == 0 ? 5 : 1));
                cache.Add(Packets.Rtp(1, sequence++, timestamp, i == parts - 1, 96, payload));
            }
        }

        Assert.Equal(0, cache.Overflows);
        Assert.Equal(sequence - 1, cache.Count);
        Assert.True(IsKeyframeStart(cache.Snapshot()[0]));
    }

    [Fact]
    public void A_lost_packet_empties_the_cache_until_the_next_keyframe()
    {
        var camera = new Camera();
        var cache = new GopCache();
        camera.Picture(cache, key: true);
        camera.Picture(cache, key: false);
        camera.Sequence++;
        camera.Picture(cache, key: false);
        Assert.Empty(cache.Snapshot());

        camera.Picture(cache, key: true);
        Assert.True(IsKeyframeStart(cache.Snapshot()[0]));
    }

    [Fact]
    public void A_camera_that_restarts_with_another_ssrc_starts_a_new_group_at_its_keyframe()
    {
        var camera = new Camera();
        var cache = new GopCache();
        camera.Picture(cache, key: true);
        camera.Picture(cache, key: false);
        cache.Add(Packets.Rtp(2, 10, 0, true, 96, 0x41, 0x9A, 0x00));
        Assert.Empty(cache.Snapshot());

        cache.Add(Packets.Rtp(2, 11, 0, false, 96, Sps));
        cache.Add(Packets.Rtp(2, 12, 0, false, 96, Pps));
        cache.Add(Packets.Rtp(2, 13, 0, true, 96, 0x65, 0x88, 0x80));
        Assert.Equal(3, cache.Snapshot().Count);
    }

    [Fact]
    public void Replayed_pictures_are_drawn_together_ending_at_the_newest_timestamp()
    {
        var camera = new Camera();
        var cache = new GopCache();
        for (var i = 0; i < 5; i++)
        {
            camera.Picture(cache, key: i == 0);
        }

        var plain = cache.Snapshot().Select(Timestamp).Distinct().ToList();
        var drawn = cache.Snapshot(step: 90).Select(Timestamp).Distinct().ToList();

        Assert.Equal(5, drawn.Count);
        Assert.Equal(plain[^1], drawn[^1]);
        Assert.Equal([360u, 270u, 180u, 90u, 0u], drawn.Select(t => drawn[^1] - t));
    }

    [Fact]
    public void Whatever_arrives_a_snapshot_is_empty_or_starts_with_a_keyframe_that_decodes()
    {
        var random = new Random(42);
        var camera = new Camera();
        var cache = new GopCache(maxPackets: 60, maxBytes: 30_000);
        for (var round = 0; round < 3000; round++)
        {
            switch (random.Next(10))
            {
                case 0:
                    camera.Sequence += (ushort)random.Next(1, 4);
                    break;
                case 1:
                    var junk = new byte[random.Next(0, 40)];
                    random.NextBytes(junk);
                    cache.Add(junk);
                    break;
                default:
                    camera.InBandParameterSets = random.Next(3) > 0;
                    camera.Picture(cache, key: random.Next(8) == 0, size: random.Next(10, 900), open: random.Next(6) == 0);
                    break;
            }

            var snapshot = cache.Snapshot(90);
            if (snapshot.Count > 0)
            {
                Assert.True(IsKeyframeStart(snapshot[0]), $"round {round}");
                Assert.True(snapshot.Count <= 61 && snapshot.Sum(p => p.Length) <= 30_000 + 100);
                for (var i = 1; i < snapshot.Count; i++)
                {
                    Assert.Equal((ushort)(Sequence(snapshot[i - 1]) + 1), Sequence(snapshot[i]));
                }
            }
        }
    }

    private static void AssertDecodesFromTheStart(List<byte[]> snapshot, int pictures)
    {
        var depacketizer = new H264Depacketizer();
        var units = snapshot.SelectMany(p => depacketizer.Push(p)).ToList();
        Assert.Equal(pictures, units.Count);
        Assert.True(units[0].Keyframe);
        Assert.Equal(0, depacketizer.Dropped);
    }

    private static bool IsKeyframeStart(byte[] packet) => Keyframes.IsKeyframeStart(VideoCodec.H264, Payload(packet));

    private static ReadOnlySpan<byte> Payload(byte[] packet) => packet.AsSpan(12);

    private static ushort Sequence(byte[] packet) => BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2));

    private static uint Timestamp(byte[] packet) => BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4));

    /// <summary>An H.264 camera's packetizer: a keyframe is SPS, PPS and an IDR in three FU-As; other pictures a slice in three FU-As.</summary>
    private sealed class Camera
    {
        public ushort Sequence { get; set; } = 65000;

        public uint Timestamp { get; set; } = 4_000_000_000;

        public bool InBandParameterSets { get; set; } = true;

        public void Picture(GopCache cache, bool key, int size = 100, bool open = false)
        {
            if (key && InBandParameterSets)
            {
                cache.Add(Packets.Rtp(1, Sequence++, Timestamp, false, 96, Sps));
                cache.Add(Packets.Rtp(1, Sequence++, Timestamp, false, 96, Pps));
            }

            var type = (byte)(key ? 5 : 1);
            var parts = open ? 2 : 3;
            for (var i = 0; i < parts; i++)
            {
                var payload = new byte[2 + size];
                payload[0] = 0x7C;
                payload[1] = (byte)((i == 0 ? 0x80 : 0) | (i == 2 ? 0x40 : 0) | type);
                cache.Add(Packets.Rtp(1, Sequence++, Timestamp, i == 2, 96, payload));
            }

            if (!open)
            {
                Timestamp += 6000;
            }
        }
    }
}
