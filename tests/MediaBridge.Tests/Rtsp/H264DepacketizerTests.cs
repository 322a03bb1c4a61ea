using MediaBridge.Rtsp;

namespace MediaBridge.Tests.Rtsp;

/// <summary>RFC 6184 packets back into access units: single NAL, STAP-A and FU-A, losses and keyframes.</summary>
public sealed class H264DepacketizerTests
{
    private static readonly byte[] Sps = [0x67, 0x42, 0xC0, 0x1E, 0xD9];
    private static readonly byte[] Pps = [0x68, 0xCE, 0x3C, 0x80];
    private static readonly byte[] Idr = [0x65, 0x88, 0x84, 0x00, 0x33, 0xFF, 0x10, 0x20, 0x30, 0x40];
    private static readonly byte[] Slice = [0x41, 0x9A, 0x02, 0x03];

    [Fact]
    public void A_stap_a_of_sps_and_pps_and_an_fu_a_idr_make_one_keyframe()
    {
        var depacketizer = new H264Depacketizer();
        byte[] stap = [0x78, 0, (byte)Sps.Length, .. Sps, 0, (byte)Pps.Length, .. Pps];

        Assert.Empty(depacketizer.Push(Packet(1, 3000, false, stap)));
        Assert.Empty(depacketizer.Push(Packet(2, 3000, false, [0x7C, 0x85, .. Idr[1..5]])));
        Assert.Empty(depacketizer.Push(Packet(3, 3000, false, [0x7C, 0x05, .. Idr[5..8]])));
        var units = depacketizer.Push(Packet(4, 3000, true, [0x7C, 0x45, .. Idr[8..]]));

        var unit = Assert.Single(units);
        Assert.True(unit.Keyframe);
        Assert.Equal([Sps, Pps, Idr], unit.Nals);
        Assert.Equal(3000u, unit.Timestamp);
        Assert.Equal([0, 0, 0, 1, .. Sps], unit.AnnexB()[..(4 + Sps.Length)]);
    }

    [Fact]
    public void Parameter_sets_from_the_sdp_go_before_an_idr_and_slices_follow_as_plain_units()
    {
        var depacketizer = new H264Depacketizer([Sps, Pps]);

        var key = Assert.Single(depacketizer.Push(Packet(10, 0, true, Idr)));
        Assert.Equal([Sps, Pps, Idr], key.Nals);
        var next = Assert.Single(depacketizer.Push(Packet(11, 3600, true, Slice)));
        Assert.False(next.Keyframe);
        Assert.Equal([Slice], next.Nals);
    }

    [Fact]
    public void Nothing_is_handed_on_before_a_keyframe_or_after_a_loss_until_the_next_keyframe()
    {
        var depacketizer = new H264Depacketizer([Sps, Pps]);
        Assert.Empty(depacketizer.Push(Packet(1, 0, true, Slice)));
        Assert.Single(depacketizer.Push(Packet(2, 3600, true, Idr)));

        Assert.Empty(depacketizer.Push(Packet(3, 7200, false, [0x7C, 0x81, 1, 2])));
        Assert.Empty(depacketizer.Push(Packet(5, 7200, true, [0x7C, 0x41, 3, 4])));
        Assert.Equal(1, depacketizer.Lost);
        Assert.Empty(depacketizer.Push(Packet(6, 10800, true, Slice)));
        Assert.True(Assert.Single(depacketizer.Push(Packet(7, 14400, true, Idr))).Keyframe);
    }

    [Fact]
    public void A_timestamp_change_without_a_marker_ends_the_unit()
    {
        var depacketizer = new H264Depacketizer([Sps, Pps]);
        Assert.Empty(depacketizer.Push(Packet(1, 0, false, Idr)));
        var units = depacketizer.Push(Packet(2, 3600, false, Slice));
        Assert.True(Assert.Single(units).Keyframe);
    }

    internal static byte[] Packet(ushort sequence, uint timestamp, bool marker, byte[] payload) =>
        [0x80, (byte)((marker ? 0x80 : 0) | 96), (byte)(sequence >> 8), (byte)sequence,
            (byte)(timestamp >> 24), (byte)(timestamp >> 16), (byte)(timestamp >> 8), (byte)timestamp, 1, 2, 3, 4, .. payload];
}
