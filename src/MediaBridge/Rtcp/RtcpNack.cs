using System.Buffers.Binary;

namespace MediaBridge.Rtcp;

/// <summary>
/// Generic NACK (RFC 4585 §6.2.1): transport-layer feedback PT=205, FMT=1, whose FCI entries each
/// name a lost packet (PID) and a bitmask of the 16 after it (BLP). Read without allocating.
/// </summary>
public static class RtcpNack
{
    /// <summary>
    /// The sequence numbers a compound packet reports lost for <paramref name="mediaSsrc"/>, as many as
    /// fit in <paramref name="lost"/>; 0 for a packet whose lengths do not add up.
    /// </summary>
    public static int Read(ReadOnlySpan<byte> packet, uint mediaSsrc, Span<ushort> lost)
    {
        var found = 0;
        var offset = 0;
        while (offset + 4 <= packet.Length)
        {
            var rest = packet[offset..];
            var length = (BinaryPrimitives.ReadUInt16BigEndian(rest[2..]) + 1) * 4;
            if ((rest[0] >> 6) != 2 || length > rest.Length)
            {
                return 0;
            }

            if (rest[1] == 205 && (rest[0] & 0x1F) == 1 && length >= 16 && BinaryPrimitives.ReadUInt32BigEndian(rest[8..]) == mediaSsrc)
            {
                for (var fci = 12; fci + 4 <= length; fci += 4)
                {
                    var pid = BinaryPrimitives.ReadUInt16BigEndian(rest[fci..]);
                    var blp = BinaryPrimitives.ReadUInt16BigEndian(rest[(fci + 2)..]);
                    for (var bit = -1; bit < 16 && found < lost.Length; bit++)
                    {
                        if (bit < 0 || (blp & (1 << bit)) != 0)
                        {
                            lost[found++] = (ushort)(pid + bit + 1);
                        }
                    }
                }
            }

            offset += length;
        }

        return found;
    }

    /// <summary>Writes one NACK naming <paramref name="first"/> and the lost packets of the 16 after it in <paramref name="mask"/>.</summary>
    public static int Write(Span<byte> buffer, uint senderSsrc, uint mediaSsrc, ushort first, ushort mask)
    {
        buffer[0] = 0x80 | 1;
        buffer[1] = 205;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 3);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], mediaSsrc);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[12..], first);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[14..], mask);
        return 16;
    }
}
