using System.Buffers.Binary;
using System.Security.Cryptography;
using MediaBridge.Srtp;
using static MediaBridge.Tests.Srtp.SrtpTestPackets;

namespace MediaBridge.Tests.Srtp;

public sealed class SrtpSessionTests
{
    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Rtp_round_trips_with_csrcs_and_an_extension_left_in_the_clear(SrtpProfile profile)
    {
        using var sender = Session(profile);
        using var receiver = Session(profile);
        var plain = RtpPacket(0xCAFE, 1000, payloadLength: 300);
        plain[0] = 0x92;
        byte[] csrcsAndExtension = [0, 0, 0, 1, 0, 0, 0, 2, 0xBE, 0xDE, 0, 1, 0x10, 0xAA, 0, 0];
        csrcsAndExtension.CopyTo(plain, 12);
        const int HeaderLength = 28;

        var packet = ProtectRtp(sender, plain);

        Assert.Equal(RtpLength(plain) + SrtpProfiles.TagLength(profile), packet.Length);
        Assert.Equal(plain[..HeaderLength], packet[..HeaderLength]);
        Assert.NotEqual(plain[HeaderLength..RtpLength(plain)], packet[HeaderLength..RtpLength(plain)]);
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(packet, out var length));
        Assert.Equal(plain[..RtpLength(plain)], packet[..length]);
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Rtcp_round_trips_and_each_packet_takes_the_next_srtcp_index(SrtpProfile profile)
    {
        using var sender = Session(profile);
        using var receiver = Session(profile);
        var plain = RtcpPacket(0xCAFE);
        var trailerAt = profile == SrtpProfile.AeadAes128Gcm ? RtcpLength(plain) + 16 : RtcpLength(plain);

        for (var i = 0u; i < 3; i++)
        {
            var packet = ProtectRtcp(sender, plain);

            Assert.Equal(RtcpLength(plain) + 4 + SrtpProfiles.TagLength(profile), packet.Length);
            Assert.Equal(plain[..8], packet[..8]);
            Assert.NotEqual(plain[8..RtcpLength(plain)], packet[8..RtcpLength(plain)]);
            Assert.Equal(0x8000_0000 | i, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(trailerAt)));
            Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtcp(packet, out var length));
            Assert.Equal(plain[..RtcpLength(plain)], packet[..length]);
        }
    }

    [Fact]
    public void Unencrypted_srtcp_with_aes_cm_is_authenticated_and_left_as_is()
    {
        var key = new byte[16];
        var salt = new byte[14];
        var authentication = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        const SrtpProfile Profile = SrtpProfile.AesCm128HmacSha1_80;
        using var receiver = new SrtpSession(
            Profile, new SrtpCryptoContext(Profile, key, salt, authentication), new SrtpCryptoContext(Profile, key, salt, authentication));
        var buffer = RtcpPacket(0xCAFE);
        var rtcp = buffer[..RtcpLength(buffer)];
        byte[] trailer = [0, 0, 0, 7];
        var tag = HMACSHA1.HashData(authentication, rtcp.Concat(trailer).ToArray())[..10];
        byte[] packet = [.. rtcp, .. trailer, .. tag];

        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtcp(packet, out var length));
        Assert.Equal(rtcp, packet[..length]);
        Assert.Equal(SrtpResult.Replayed, receiver.UnprotectRtcp([.. rtcp, .. trailer, .. tag], out _));
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void The_roc_advances_across_a_sequence_wrap_and_the_receiver_follows_a_late_packet_back(SrtpProfile profile)
    {
        using var sender = Session(profile);
        using var receiver = Session(profile);
        var packets = new Dictionary<ushort, byte[]>();
        foreach (ushort sequence in new ushort[] { 65533, 65534, 65535, 0, 1, 2 })
        {
            packets[sequence] = ProtectRtp(sender, RtpPacket(7, sequence));
        }

        foreach (ushort sequence in new ushort[] { 65533, 65534, 0, 1, 65535, 2 })
        {
            Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(packets[sequence], out var length));
            Assert.Equal(RtpPacket(7, sequence)[..RtpLength(RtpPacket(7, sequence))], packets[sequence][..length]);
        }

        // After the wrap the sender used ROC 1: a receiver that never saw the wrap assumes 0 and rejects it.
        using var unaware = Session(profile);
        Assert.Equal(SrtpResult.AuthenticationFailed, unaware.UnprotectRtp(ProtectRtp(sender, RtpPacket(7, 3)), out _));
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void The_receiver_stays_in_step_over_many_wraps(SrtpProfile profile)
    {
        using var sender = Session(profile);
        using var receiver = Session(profile);
        var buffer = RtpPacket(9, 0, payloadLength: 20);

        for (var i = 0; i < 3 * 65536; i += 1000)
        {
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (ushort)i);
            var packet = ProtectRtp(sender, buffer);
            Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(packet, out _));
        }
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Replays_and_packets_older_than_the_window_are_rejected(SrtpProfile profile)
    {
        using var sender = Session(profile);
        using var receiver = Session(profile);
        var first = ProtectRtp(sender, RtpPacket(7, 100));
        var late = ProtectRtp(sender, RtpPacket(7, 101));
        var again = (byte[])first.Clone();
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(first, out _));

        Assert.Equal(SrtpResult.Replayed, receiver.UnprotectRtp(again, out _));

        for (ushort sequence = 102; sequence < 102 + SrtpReplayWindow.Size; sequence++)
        {
            Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(ProtectRtp(sender, RtpPacket(7, sequence)), out _));
        }

        Assert.Equal(SrtpResult.Replayed, receiver.UnprotectRtp(late, out _));

        var report = ProtectRtcp(sender, RtcpPacket(7));
        var reportAgain = (byte[])report.Clone();
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtcp(report, out _));
        Assert.Equal(SrtpResult.Replayed, receiver.UnprotectRtcp(reportAgain, out _));
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void The_sender_refuses_to_use_an_index_twice(SrtpProfile profile)
    {
        using var sender = Session(profile);
        var buffer = RtpPacket(7, 100);

        Assert.True(sender.TryProtectRtp((byte[])buffer.Clone(), RtpLength(buffer), out _));
        Assert.False(sender.TryProtectRtp((byte[])buffer.Clone(), RtpLength(buffer), out _));
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, 3)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, 20)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, -1)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 3)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 20)]
    [InlineData(SrtpProfile.AeadAes128Gcm, -1)]
    public void A_tampered_rtp_packet_fails_and_the_genuine_one_still_passes(SrtpProfile profile, int position)
    {
        using var sender = Session(profile);
        using var receiver = Session(profile);
        var genuine = ProtectRtp(sender, RtpPacket(7, 500));
        var tampered = (byte[])genuine.Clone();
        tampered[position < 0 ? tampered.Length + position : position] ^= 0x01;

        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtp(tampered, out _));
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(genuine, out _));
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, 5)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, 20)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, -1)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 5)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 20)]
    [InlineData(SrtpProfile.AeadAes128Gcm, -1)]
    public void A_tampered_rtcp_packet_fails_and_the_genuine_one_still_passes(SrtpProfile profile, int position)
    {
        using var sender = Session(profile);
        using var receiver = Session(profile);
        var genuine = ProtectRtcp(sender, RtcpPacket(7));
        var tampered = (byte[])genuine.Clone();
        tampered[position < 0 ? tampered.Length + position : position] ^= 0x01;

        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtcp(tampered, out _));
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtcp(genuine, out _));
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void A_forged_packet_does_not_move_the_roc(SrtpProfile profile)
    {
        using var sender = Session(profile);
        using var pastTheWrap = Session(profile);
        using var receiver = Session(profile);
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(ProtectRtp(sender, RtpPacket(7, 65000)), out _));
        ProtectRtp(pastTheWrap, RtpPacket(7, 65000));
        var forged = ProtectRtp(pastTheWrap, RtpPacket(7, 10));
        forged[^1] ^= 0xFF;

        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtp(forged, out _));

        // Had it been taken, the window would have moved into ROC 1, leaving 65001 far too old.
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(ProtectRtp(sender, RtpPacket(7, 65001)), out _));
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Packets_under_another_key_fail_authentication(SrtpProfile profile)
    {
        using var sender = Session(profile, keySeed: 1);
        using var receiver = Session(profile, keySeed: 2);

        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtp(ProtectRtp(sender, RtpPacket(7, 1)), out _));
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtcp(ProtectRtcp(sender, RtcpPacket(7)), out _));
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Truncated_and_garbage_input_is_malformed_without_exceptions(SrtpProfile profile)
    {
        using var session = Session(profile);
        var protectedRtp = ProtectRtp(Session(profile), RtpPacket(7, 1));
        byte[][] truncated =
        [
            [],
            [0x80],
            protectedRtp[..12],
            protectedRtp[..(12 + SrtpProfiles.TagLength(profile) - 1)],
        ];
        byte[][] garbage =
        [
            [0x40, .. protectedRtp[1..]],
            [0x8F, .. protectedRtp[1..40]],
            [0x90, .. protectedRtp[1..12], 0xBE, 0xDE, 0x10, 0x00, .. new byte[20]],
        ];
        byte[][] rtcp =
        [
            [],
            [0x81, 200, 0, 1],
            [0x81, 200, 0, 1, 0, 0, 0, 7, 0x80, 0, 0, 1],
            [0x41, 200, 0, 1, 0, 0, 0, 7, .. new byte[40]],
            [0x81, 96, 0, 1, 0, 0, 0, 7, .. new byte[40]],
        ];

        foreach (var packet in truncated.Concat(garbage))
        {
            Assert.Equal(SrtpResult.Malformed, session.UnprotectRtp(packet, out _));
        }

        foreach (var packet in garbage.Append([]))
        {
            Assert.False(session.TryProtectRtp([.. packet, .. new byte[16]], packet.Length, out _));
        }

        foreach (var packet in rtcp)
        {
            Assert.Equal(SrtpResult.Malformed, session.UnprotectRtcp(packet, out _));
        }

        Assert.False(session.TryProtectRtcp([0x81, 200, 0, 1], 4, out _));
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Protection_needs_room_for_the_tag_and_a_length_within_the_buffer(SrtpProfile profile)
    {
        using var sender = Session(profile);
        var rtp = RtpPacket(7, 1);
        var rtcp = RtcpPacket(7);
        var tag = SrtpProfiles.TagLength(profile);

        Assert.False(sender.TryProtectRtp(rtp.AsSpan(0, RtpLength(rtp) + tag - 1), RtpLength(rtp), out _));
        Assert.False(sender.TryProtectRtp(rtp, rtp.Length + 1, out _));
        Assert.False(sender.TryProtectRtp(rtp, -1, out _));
        Assert.False(sender.TryProtectRtcp(rtcp.AsSpan(0, RtcpLength(rtcp) + 4 + tag - 1), RtcpLength(rtcp), out _));
        Assert.False(sender.TryProtectRtcp(rtcp, -1, out _));
        Assert.True(sender.TryProtectRtp(rtp.AsSpan(0, RtpLength(rtp) + tag), RtpLength(rtp), out _));
        Assert.True(sender.TryProtectRtcp(rtcp.AsSpan(0, RtcpLength(rtcp) + 4 + tag), RtcpLength(rtcp), out _));
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Packets_longer_than_a_datagram_are_refused(SrtpProfile profile)
    {
        using var session = Session(profile);
        var rtp = RtpPacket(7, 1, payloadLength: ushort.MaxValue);
        var rtcp = new byte[ushort.MaxValue + 1 + SrtpSession.MaxRtcpOverhead];
        RtcpPacket(7).CopyTo(rtcp, 0);

        Assert.False(session.TryProtectRtp(rtp, RtpLength(rtp), out _));
        Assert.Equal(SrtpResult.Malformed, session.UnprotectRtp(rtp, out _));
        Assert.False(session.TryProtectRtcp(rtcp, ushort.MaxValue + 1, out _));
        Assert.Equal(SrtpResult.Malformed, session.UnprotectRtcp(rtcp, out _));
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Random_bytes_never_pass_and_never_throw(SrtpProfile profile)
    {
        using var session = Session(profile);
        var random = new Random(5);
        for (var i = 0; i < 2000; i++)
        {
            var packet = new byte[random.Next(0, 200)];
            random.NextBytes(packet);
            if (i % 2 == 0 && packet.Length > 0)
            {
                packet[0] = (byte)(0x80 | (packet[0] & 0x3F));
            }

            Assert.NotEqual(SrtpResult.Ok, session.UnprotectRtp((byte[])packet.Clone(), out _));
            Assert.NotEqual(SrtpResult.Ok, session.UnprotectRtcp(packet, out _));
        }
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Forged_packets_from_new_ssrcs_take_no_room(SrtpProfile profile)
    {
        using var receiver = Session(profile, keySeed: 2);

        for (var ssrc = 1u; ssrc <= 500; ssrc++)
        {
            using var sender = Session(profile, keySeed: 1);
            Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtp(ProtectRtp(sender, RtpPacket(ssrc, 1)), out _));
            Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtcp(ProtectRtcp(sender, RtcpPacket(ssrc)), out _));
        }

        Assert.Equal((0, 0), receiver.StreamCounts);
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void A_receiver_beyond_the_cap_forgets_the_quietest_ssrc(SrtpProfile profile)
    {
        using var receiver = Session(profile);
        byte[] Fresh(uint ssrc, ushort sequence)
        {
            using var sender = Session(profile);
            return ProtectRtp(sender, RtpPacket(ssrc, sequence));
        }

        var firstPackets = new Dictionary<uint, byte[]>();
        for (var ssrc = 1u; ssrc <= SrtpSession.MaxStreams; ssrc++)
        {
            firstPackets[ssrc] = Fresh(ssrc, 1);
            Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp((byte[])firstPackets[ssrc].Clone(), out _));
        }

        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(Fresh(1, 2), out _));
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(Fresh(1000, 1), out _));

        // SSRC 2 had been quiet longest, so its window went with it; SSRC 1 spoke since and is kept.
        Assert.Equal(SrtpSession.MaxStreams, receiver.StreamCounts.Rtp);
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp((byte[])firstPackets[2].Clone(), out _));
        Assert.Equal(SrtpResult.Replayed, receiver.UnprotectRtp((byte[])firstPackets[1].Clone(), out _));

        for (var ssrc = 2000u; ssrc < 2200; ssrc++)
        {
            Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(Fresh(ssrc, 1), out _));
        }

        Assert.Equal(SrtpSession.MaxStreams, receiver.StreamCounts.Rtp);
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void A_sender_beyond_the_cap_refuses_new_ssrcs_and_keeps_serving_known_ones(SrtpProfile profile)
    {
        using var sender = Session(profile);
        for (var ssrc = 1u; ssrc <= SrtpSession.MaxStreams; ssrc++)
        {
            ProtectRtp(sender, RtpPacket(ssrc, 1));
            ProtectRtcp(sender, RtcpPacket(ssrc));
        }

        var rtp = RtpPacket(1000, 1);
        var rtcp = RtcpPacket(1000);
        Assert.False(sender.TryProtectRtp(rtp, RtpLength(rtp), out _));
        Assert.False(sender.TryProtectRtcp(rtcp, RtcpLength(rtcp), out _));
        Assert.Equal((SrtpSession.MaxStreams, SrtpSession.MaxStreams), sender.StreamCounts);

        ProtectRtp(sender, RtpPacket(1, 2));
        ProtectRtcp(sender, RtcpPacket(1));
    }

    [Fact]
    public void Profiles_carry_their_dtls_ids_and_sizes()
    {
        Assert.Equal((ushort)0x0001, SrtpProfiles.DtlsId(SrtpProfile.AesCm128HmacSha1_80));
        Assert.Equal((ushort)0x0007, SrtpProfiles.DtlsId(SrtpProfile.AeadAes128Gcm));
        Assert.Equal(SrtpProfile.AesCm128HmacSha1_80, SrtpProfiles.FromDtlsId(0x0001));
        Assert.Equal(SrtpProfile.AeadAes128Gcm, SrtpProfiles.FromDtlsId(0x0007));
        Assert.Null(SrtpProfiles.FromDtlsId(0x0002));
        Assert.Null(SrtpProfiles.FromDtlsId(0x0008));
        Assert.Equal((16, 14, 10), (SrtpProfiles.KeyLength(SrtpProfile.AesCm128HmacSha1_80), SrtpProfiles.SaltLength(SrtpProfile.AesCm128HmacSha1_80), SrtpProfiles.TagLength(SrtpProfile.AesCm128HmacSha1_80)));
        Assert.Equal((16, 12, 16), (SrtpProfiles.KeyLength(SrtpProfile.AeadAes128Gcm), SrtpProfiles.SaltLength(SrtpProfile.AeadAes128Gcm), SrtpProfiles.TagLength(SrtpProfile.AeadAes128Gcm)));
        Assert.Throws<ArgumentException>(() => new SrtpSession(SrtpProfile.AeadAes128Gcm, new byte[16], new byte[14]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SrtpProfiles.KeyLength((SrtpProfile)0x0002));
    }
}
