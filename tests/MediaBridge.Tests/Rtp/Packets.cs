using System.Buffers.Binary;

namespace MediaBridge.Tests.Rtp;

/// <summary>Builds RTP packets byte by byte, as a camera or softphone would send them.</summary>
public static class Packets
{
    public static byte[] Rtp(uint ssrc, ushort sequence, uint timestamp, bool marker, byte payloadType, params byte[] payload)
    {
        var packet = new byte[12 + payload.Length];
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        payload.CopyTo(packet, 12);
        return packet;
    }

    /// <summary>H.264 NAL unit headers (RFC 6184): IDR slice, non-IDR slice.</summary>
    public static readonly byte[] Idr = [0x65, 0x88, 0x80];
    public static readonly byte[] Slice = [0x41, 0x9A, 0x00];
}
