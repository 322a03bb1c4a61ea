using System.Buffers.Binary;
using MediaBridge.Rtcp;
using MediaBridge.Rtp;
using MediaBridge.Sdp;

namespace MediaBridge.Tests.Rtp;

public sealed class RtpTests
{
    [Fact]
    public void The_header_is_read_with_csrcs_extension_and_padding()
    {
        byte[] packet =
        [
            0xB1, 0xE0, 0x12, 0x34, 0, 0, 0x03, 0xE8, 0xDE, 0xAD, 0xBE, 0xEF,
            0, 0, 0, 7,
            0xBE, 0xDE, 0, 1, 0x10, 0xAA, 0, 0,
            0x65, 0x01, 0x02,
            0, 0, 3,
        ];

        Assert.True(RtpHeader.TryRead(packet, out var h));

        Assert.True(h.Marker);
        Assert.Equal(96, h.PayloadType);
        Assert.Equal(0x1234, h.SequenceNumber);
        Assert.Equal(1000u, h.Timestamp);
        Assert.Equal(0xDEADBEEF, h.Ssrc);
        Assert.Equal(24, h.HeaderLength);
        Assert.Equal([0x65, 0x01, 0x02], RtpHeader.Payload(packet, h).ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x60, 0, 1 })]
    [InlineData(new byte[] { 0x40, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 })]
    [InlineData(new byte[] { 0x8F, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 })]
    [InlineData(new byte[] { 0x90, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0, 9 })]
    [InlineData(new byte[] { 0xA0, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0x65, 200 })]
    [InlineData(new byte[] { 0xA0, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0x65, 0 })]
    public void Truncated_or_inconsistent_headers_are_refused(byte[] packet)
    {
        Assert.False(RtpHeader.TryRead(packet, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0x65, 0x88 }, true)]
    [InlineData(new byte[] { 0x67, 0x42 }, true)]
    [InlineData(new byte[] { 0x78, 0x00, 0x0A, 0x67, 0x42 }, true)]
    [InlineData(new byte[] { 0x78, 0x00, 0x0A, 0x41, 0x9A }, false)]
    [InlineData(new byte[] { 0x78, 0x00, 0x02, 0x09, 0xF0, 0x00, 0x02, 0x67, 0x42 }, true)]
    [InlineData(new byte[] { 0x78, 0x00, 0x03, 0x06, 0x05, 0x01, 0x00, 0x02, 0x65, 0x88 }, true)]
    [InlineData(new byte[] { 0x78, 0x00, 0x02, 0x09, 0xF0, 0x00, 0x02, 0x41, 0x9A }, false)]
    [InlineData(new byte[] { 0x78, 0x00, 0x00, 0x09, 0xF0, 0x00, 0x02, 0x67, 0x42 }, false)]
    [InlineData(new byte[] { 0x7C, 0x85, 0x88 }, true)]
    [InlineData(new byte[] { 0x7C, 0x05, 0x88 }, false)]
    [InlineData(new byte[] { 0x7C, 0x81, 0x9A }, false)]
    [InlineData(new byte[] { 0x41, 0x9A }, false)]
    [InlineData(new byte[] { }, false)]
    public void H264_keyframe_starts_are_recognized(byte[] payload, bool keyframe)
    {
        Assert.Equal(keyframe, Keyframes.IsKeyframeStart(VideoCodec.H264, payload));
    }

    [Theory]
    [InlineData(new byte[] { 0x10, 0x00, 0x9D }, true)]
    [InlineData(new byte[] { 0x10, 0x01, 0x9D }, false)]
    [InlineData(new byte[] { 0x00, 0x00, 0x9D }, false)]
    [InlineData(new byte[] { 0x90, 0x80, 0x05, 0x00 }, true)]
    [InlineData(new byte[] { 0x90, 0x80, 0x85, 0x01, 0x00 }, true)]
    [InlineData(new byte[] { 0x90, 0xE0, 0x05, 0x07, 0x20, 0x01 }, false)]
    [InlineData(new byte[] { 0x90 }, false)]
    public void Vp8_keyframe_starts_are_recognized(byte[] payload, bool keyframe)
    {
        Assert.Equal(keyframe, Keyframes.IsKeyframeStart(VideoCodec.Vp8, payload));
    }

    [Fact]
    public void A_receiver_sees_one_ssrc_with_continuous_sequence_numbers_across_a_switch()
    {
        var stream = new OutgoingStream(0x0C0FFEE0, 90000);
        var sequences = new List<ushort>();
        var timestamps = new List<uint>();
        var now = 0L;
        void Send(byte[] packet, uint source)
        {
            Assert.True(RtpHeader.TryRead(packet, out var h));
            stream.Rewrite(packet, h, source, now);
            Assert.True(RtpHeader.TryRead(packet, out var rewritten));
            Assert.Equal(0x0C0FFEE0u, rewritten.Ssrc);
            sequences.Add(rewritten.SequenceNumber);
            timestamps.Add(rewritten.Timestamp);
        }

        for (var i = 0; i < 5; i++, now += TimeSpan.TicksPerMillisecond * 33)
        {
            Send(Packets.Rtp(0xA, (ushort)(65533 + i), (uint)(1000 + (i * 3000)), true, 96, Packets.Slice), 0xA);
        }

        for (var i = 0; i < 5; i++, now += TimeSpan.TicksPerMillisecond * 33)
        {
            Send(Packets.Rtp(0xB, (ushort)(777 + i), (uint)(4_000_000_000 + (i * 3000)), true, 96, Packets.Slice), 0xB);
        }

        Assert.All(sequences.Zip(sequences.Skip(1)), p => Assert.Equal((ushort)(p.First + 1), p.Second));
        Assert.All(timestamps.Zip(timestamps.Skip(1)), p => Assert.InRange((int)(p.Second - p.First), 1, 3000));
    }

    [Fact]
    public void A_switch_waits_for_the_new_keyframe_and_for_the_old_frame_to_end()
    {
        var sw = new VideoSwitch(VideoCodec.H264);
        sw.Select(0xA);
        Assert.Equal(SwitchAction.Forward, Offer(sw, Packets.Rtp(0xA, 1, 0, false, 96, Packets.Idr)));
        Assert.Equal(SwitchAction.Forward, Offer(sw, Packets.Rtp(0xA, 2, 0, true, 96, Packets.Slice)));

        sw.Select(0xB);
        Assert.True(sw.WantsKeyframe);
        Assert.Equal(SwitchAction.Drop, Offer(sw, Packets.Rtp(0xB, 50, 0, true, 96, Packets.Slice)));
        Assert.Equal(SwitchAction.Forward, Offer(sw, Packets.Rtp(0xA, 3, 3000, false, 96, Packets.Slice)));

        Assert.Equal(SwitchAction.Hold, Offer(sw, Packets.Rtp(0xB, 51, 3000, false, 96, Packets.Idr)));
        Assert.Equal(SwitchAction.Hold, Offer(sw, Packets.Rtp(0xB, 52, 3000, true, 96, Packets.Slice)));
        Assert.False(sw.WantsKeyframe);
        Assert.False(sw.TakeHeld(out _, out _));

        Assert.Equal(SwitchAction.Forward, Offer(sw, Packets.Rtp(0xA, 4, 3000, true, 96, Packets.Slice)));
        Assert.True(sw.TakeHeld(out var first, out var firstLength));
        Assert.True(sw.TakeHeld(out _, out _));
        Assert.False(sw.TakeHeld(out _, out _));
        Assert.True(RtpHeader.TryRead(first.AsSpan(0, firstLength), out var released));
        Assert.Equal(51, released.SequenceNumber);
        Assert.Equal(0xBu, sw.Current);

        Assert.Equal(SwitchAction.Drop, Offer(sw, Packets.Rtp(0xA, 5, 6000, true, 96, Packets.Slice)));
        Assert.Equal(SwitchAction.Forward, Offer(sw, Packets.Rtp(0xB, 53, 6000, true, 96, Packets.Slice)));
    }

    [Fact]
    public void A_keyframe_arriving_between_frames_switches_at_once()
    {
        var sw = new VideoSwitch(VideoCodec.Vp8);
        sw.Select(0xA);
        Offer(sw, Packets.Rtp(0xA, 1, 0, true, 97, 0x10, 0x00));
        sw.Select(0xB);

        Assert.Equal(SwitchAction.Forward, Offer(sw, Packets.Rtp(0xB, 9, 0, false, 97, 0x10, 0x00)));
        Assert.Equal(0xBu, sw.Current);
    }

    [Fact]
    public void A_lost_marker_does_not_stall_the_switch()
    {
        var sw = new VideoSwitch(VideoCodec.H264);
        sw.Select(0xA);
        Offer(sw, Packets.Rtp(0xA, 1, 0, false, 96, Packets.Idr));
        sw.Select(0xB);
        Assert.Equal(SwitchAction.Hold, Offer(sw, Packets.Rtp(0xB, 1, 0, false, 96, Packets.Idr), now: 0));

        Assert.Equal(SwitchAction.Hold, Offer(sw, Packets.Rtp(0xB, 2, 0, true, 96, Packets.Slice), now: VideoSwitch.MaxHold.Ticks + 1));

        Assert.Equal(0xBu, sw.Current);
        Assert.True(sw.TakeHeld(out _, out _));
        Assert.True(sw.TakeHeld(out _, out _));
    }

    [Fact]
    public void Pli_and_fir_are_written_as_the_rfcs_lay_them_out()
    {
        var pli = new byte[RtcpFeedback.PliLength];
        var fir = new byte[RtcpFeedback.FirLength];

        RtcpFeedback.WritePli(pli, 0x11111111, 0x22222222);
        RtcpFeedback.WriteFir(fir, 0x11111111, 0x22222222, 7);

        Assert.Equal(Convert.FromHexString("81CE00021111111122222222"), pli);
        Assert.Equal(Convert.FromHexString("84CE0004111111110000000022222222" + "07000000"), fir);
        Assert.Equal(4, BinaryPrimitives.ReadUInt16BigEndian(fir.AsSpan(2)));
    }

    private static SwitchAction Offer(VideoSwitch sw, byte[] packet, long now = 0)
    {
        Assert.True(RtpHeader.TryRead(packet, out var h));
        return sw.Offer(h.Ssrc, h, packet, now);
    }
}
