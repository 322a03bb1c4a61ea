using System.Buffers.Binary;
using CsCheck;
using MediaBridge.Rtp;
using MediaBridge.Sdp;

namespace MediaBridge.Tests.Fuzz;

/// <summary>Properties of the RTP header reader, its in-place rewrite and the keyframe test on payloads.</summary>
public sealed class RtpFuzzTests
{
    private static readonly Gen<Built> Packet = Gen.Select(
        Gen.Select(Gen.Bool, Gen.Int[0, 127], Gen.UShort, Gen.UInt, Gen.UInt, (m, pt, seq, ts, ssrc) => (Marker: m, Pt: (byte)pt, Seq: seq, Ts: ts, Ssrc: ssrc)),
        Gen.UInt.Array[0, 15],
        Gen.Select(Gen.Bool, Gen.UShort, Gen.Byte.Array[0, 40], (has, profile, data) => (Has: has, Profile: profile, Words: data[..(data.Length & ~3)])),
        Gen.Byte.Array[0, 200],
        Gen.Int[0, 255],
        (h, csrcs, extension, payload, padding) =>
        {
            var length = 12 + (4 * csrcs.Length) + (extension.Has ? 4 + extension.Words.Length : 0);
            var packet = new byte[length + payload.Length + padding];
            packet[0] = (byte)(0x80 | (padding > 0 ? 0x20 : 0) | (extension.Has ? 0x10 : 0) | csrcs.Length);
            packet[1] = (byte)((h.Marker ? 0x80 : 0) | h.Pt);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), h.Seq);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), h.Ts);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), h.Ssrc);
            for (var i = 0; i < csrcs.Length; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12 + (4 * i)), csrcs[i]);
            }

            if (extension.Has)
            {
                var at = 12 + (4 * csrcs.Length);
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at), extension.Profile);
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at + 2), (ushort)(extension.Words.Length / 4));
                extension.Words.CopyTo(packet, at + 4);
            }

            payload.CopyTo(packet, length);
            if (padding > 0)
            {
                packet[^1] = (byte)padding;
            }

            return new Built(packet, new RtpHeader(h.Marker, h.Pt, h.Seq, h.Ts, h.Ssrc, length, payload.Length), payload);
        });

    [Fact]
    public void Random_and_mutated_packets_never_throw_and_never_point_outside_the_packet()
    {
        var gen = Gen.Frequency((2, Gen.Byte.Array[0, 120]), (3, Packet.Select(p => p.Bytes)), (3, Packet.SelectMany(p => Mutations.Of([p.Bytes], 4))));
        FuzzRun.Check("RTP", "reader never throws", gen, packet =>
        {
            if (RtpHeader.TryRead(packet, out var header))
            {
                Assert.InRange(header.HeaderLength, RtpHeader.FixedLength, packet.Length);
                Assert.InRange(header.PayloadLength, 0, packet.Length - header.HeaderLength);
                var payload = RtpHeader.Payload(packet, header);
                _ = Keyframes.IsKeyframeStart(VideoCodec.H264, payload);
                _ = Keyframes.IsKeyframeStart(VideoCodec.Vp8, payload);
            }

            _ = Keyframes.IsKeyframeStart(VideoCodec.H264, packet);
            _ = Keyframes.IsKeyframeStart(VideoCodec.Vp8, packet);
        }, ciCases: 100_000, print: FuzzRun.Literal);
    }

    [Fact]
    public void Built_packets_read_back_with_csrcs_extensions_and_padding()
    {
        FuzzRun.Check("RTP", "build then read round-trips", Packet, p =>
        {
            Assert.True(RtpHeader.TryRead(p.Bytes, out var header));
            Assert.Equal(p.Header, header);
            Assert.Equal(p.Payload, RtpHeader.Payload(p.Bytes, header).ToArray());
        }, ciCases: 30_000);
    }

    [Fact]
    public void A_rewrite_changes_only_sequence_timestamp_ssrc_and_payload_type()
    {
        var gen = Gen.Select(Packet, Gen.UShort, Gen.UInt, Gen.UInt, Gen.Int[0, 127]);
        FuzzRun.Check("RTP", "rewrite keeps the rest", gen, t =>
        {
            var (p, sequence, timestamp, ssrc, payloadType) = t;
            var packet = p.Bytes.ToArray();
            RtpHeader.Rewrite(packet, sequence, timestamp, ssrc);
            RtpHeader.SetPayloadType(packet, (byte)payloadType);
            Assert.True(RtpHeader.TryRead(packet, out var header));
            Assert.Equal(p.Header with { SequenceNumber = sequence, Timestamp = timestamp, Ssrc = ssrc, PayloadType = (byte)payloadType }, header);
            Assert.Equal(p.Bytes[12..], packet[12..]);
        }, ciCases: 30_000);
    }

    private sealed record Built(byte[] Bytes, RtpHeader Header, byte[] Payload);
}
