using System.Buffers.Binary;

namespace MediaBridge.Rtcp;

/// <summary>
/// Walks a compound RTCP packet (RFC 3550 §6.1) without allocating: the report block about one
/// SSRC of ours, and any keyframe request (PLI, RFC 4585 §6.3.1; FIR, RFC 5104 §4.3.1). A packet
/// whose lengths do not add up is rejected whole.
/// </summary>
public static class RtcpReader
{
    public static bool IsRtcp(ReadOnlySpan<byte> packet) =>
        packet.Length >= 8 && (packet[0] >> 6) == 2 && packet[1] is >= 192 and <= 223;

    public static bool TryRead(ReadOnlySpan<byte> packet, uint about, out RtcpSummary summary)
    {
        summary = default;
        ReportBlock? block = null;
        var keyframe = false;
        uint sender = 0;
        var offset = 0;
        while (offset < packet.Length)
        {
            var rest = packet[offset..];
            if (rest.Length < 4 || (rest[0] >> 6) != 2)
            {
                return false;
            }

            var length = (BinaryPrimitives.ReadUInt16BigEndian(rest[2..]) + 1) * 4;
            if (length > rest.Length)
            {
                return false;
            }

            var part = rest[..length];
            var count = part[0] & 0x1F;
            switch (part[1])
            {
                case 200 or 201 when part.Length >= (part[1] == 200 ? RtcpReports.SenderReportLength : 8):
                    sender = BinaryPrimitives.ReadUInt32BigEndian(part[4..]);
                    var blocks = part[(part[1] == 200 ? RtcpReports.SenderReportLength : 8)..];
                    for (var i = 0; i < count && (i + 1) * RtcpReports.BlockLength <= blocks.Length; i++)
                    {
                        var b = blocks.Slice(i * RtcpReports.BlockLength, RtcpReports.BlockLength);
                        if (BinaryPrimitives.ReadUInt32BigEndian(b) == about)
                        {
                            var lostField = BinaryPrimitives.ReadUInt32BigEndian(b[4..]);
                            var lost = (int)(lostField << 8) >> 8;
                            block = new ReportBlock(about, (byte)(lostField >> 24), lost,
                                BinaryPrimitives.ReadUInt32BigEndian(b[8..]), BinaryPrimitives.ReadUInt32BigEndian(b[12..]),
                                BinaryPrimitives.ReadUInt32BigEndian(b[16..]), BinaryPrimitives.ReadUInt32BigEndian(b[20..]));
                        }
                    }

                    break;
                case 206 when count is 1 or 4 && part.Length >= 12:
                    keyframe = true;
                    break;
            }

            offset += length;
        }

        summary = new RtcpSummary(sender, block, keyframe);
        return offset > 0;
    }
}
