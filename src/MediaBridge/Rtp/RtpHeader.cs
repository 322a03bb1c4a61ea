using System.Buffers.Binary;

namespace MediaBridge.Rtp;

/// <summary>
/// The fixed RTP header (RFC 3550 §5.1) read from, and rewritten in, a packet buffer without copying.
/// </summary>
public readonly record struct RtpHeader(bool Marker, byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc, int HeaderLength, int PayloadLength)
{
    public const int FixedLength = 12;

    /// <summary>Reads a version-2 header; CSRCs, a header extension and padding are honoured (§5.1, §5.3.1).</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out RtpHeader header)
    {
        header = default;
        if (packet.Length < FixedLength || (packet[0] >> 6) != 2)
        {
            return false;
        }

        var length = FixedLength + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return false;
            }

            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]));
        }

        var padding = (packet[0] & 0x20) != 0 ? packet[^1] : 0;
        if (length + padding > packet.Length || ((packet[0] & 0x20) != 0 && padding == 0))
        {
            return false;
        }

        header = new RtpHeader(
            (packet[1] & 0x80) != 0,
            (byte)(packet[1] & 0x7F),
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[8..]),
            length,
            packet.Length - length - padding);
        return true;
    }

    public static ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> packet, in RtpHeader header) => packet.Slice(header.HeaderLength, header.PayloadLength);

    /// <summary>Overwrites sequence number, timestamp and SSRC in place.</summary>
    public static void Rewrite(Span<byte> packet, ushort sequenceNumber, uint timestamp, uint ssrc)
    {
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], ssrc);
    }

    public static void SetPayloadType(Span<byte> packet, byte payloadType) =>
        packet[1] = (byte)((packet[1] & 0x80) | (payloadType & 0x7F));
}
