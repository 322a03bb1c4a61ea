using System.Buffers.Binary;
using MediaBridge.Srtp;

namespace MediaBridge.Tests.Srtp;

/// <summary>Sessions keyed alike on both ends, and packets in buffers with room for protection.</summary>
public static class SrtpTestPackets
{
    public static SrtpSession Session(SrtpProfile profile, byte keySeed = 1, SrtpCryptoProvider? provider = null)
    {
        var key = new byte[SrtpProfiles.KeyLength(profile)];
        var salt = new byte[SrtpProfiles.SaltLength(profile)];
        for (var i = 0; i < key.Length; i++)
        {
            key[i] = (byte)(keySeed + i);
        }

        for (var i = 0; i < salt.Length; i++)
        {
            salt[i] = (byte)(0xA0 + i);
        }

        return new SrtpSession(profile, key, salt, provider ?? SrtpSession.DefaultCryptoProvider);
    }

    /// <summary>An RTP packet of <paramref name="payloadLength"/> counting bytes, in a buffer with room for the tag.</summary>
    public static byte[] RtpPacket(uint ssrc, ushort sequence, int payloadLength = 160)
    {
        var packet = new byte[12 + payloadLength + SrtpSession.MaxRtpOverhead];
        packet[0] = 0x80;
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 3000u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        for (var i = 0; i < payloadLength; i++)
        {
            packet[12 + i] = (byte)i;
        }

        return packet;
    }

    public static int RtpLength(byte[] buffer) => buffer.Length - SrtpSession.MaxRtpOverhead;

    /// <summary>A receiver report followed by an SDES CNAME, from <paramref name="ssrc"/>, with room for SRTCP.</summary>
    public static byte[] RtcpPacket(uint ssrc)
    {
        byte[] compound =
        [
            0x81, 201, 0, 7, 0, 0, 0, 0,
            0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x10, 0x00, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0,
            0x81, 202, 0, 3, 0, 0, 0, 0, 1, 4, (byte)'c', (byte)'a', (byte)'m', (byte)'1', 0, 0,
        ];
        BinaryPrimitives.WriteUInt32BigEndian(compound.AsSpan(4), ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(compound.AsSpan(36), ssrc);
        var buffer = new byte[compound.Length + SrtpSession.MaxRtcpOverhead];
        compound.CopyTo(buffer, 0);
        return buffer;
    }

    public static int RtcpLength(byte[] buffer) => buffer.Length - SrtpSession.MaxRtcpOverhead;

    /// <summary>Protects a copy, returning exactly the SRTP bytes.</summary>
    public static byte[] ProtectRtp(SrtpSession sender, byte[] buffer)
    {
        var copy = (byte[])buffer.Clone();
        Assert.True(sender.TryProtectRtp(copy, RtpLength(buffer), out var length));
        return copy[..length];
    }

    public static byte[] ProtectRtcp(SrtpSession sender, byte[] buffer)
    {
        var copy = (byte[])buffer.Clone();
        Assert.True(sender.TryProtectRtcp(copy, RtcpLength(buffer), out var length));
        return copy[..length];
    }
}
