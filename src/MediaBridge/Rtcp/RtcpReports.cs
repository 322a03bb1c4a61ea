using System.Buffers.Binary;

namespace MediaBridge.Rtcp;

/// <summary>Sender and receiver reports (RFC 3550 §6.4), written into a caller's buffer.</summary>
public static class RtcpReports
{
    public const int SenderReportLength = 28;
    public const int BlockLength = 24;

    /// <summary>SR with at most one report block: NTP and RTP time of now, and what this sender has sent (§6.4.1).</summary>
    public static int WriteSenderReport(Span<byte> buffer, uint ssrc, DateTimeOffset now, uint rtpTimestamp, uint packets, uint octets, ReportBlock? block)
    {
        var count = block is null ? 0 : 1;
        var length = SenderReportLength + (count * BlockLength);
        buffer[0] = (byte)(0x80 | count);
        buffer[1] = 200;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)((length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[8..], Ntp(now));
        BinaryPrimitives.WriteUInt32BigEndian(buffer[16..], rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[20..], packets);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[24..], octets);
        if (block is { } b)
        {
            WriteBlock(buffer[SenderReportLength..], b);
        }

        return length;
    }

    /// <summary>RR with one report block, for a leg the bridge receives from but has not yet sent to (§6.4.2).</summary>
    public static int WriteReceiverReport(Span<byte> buffer, uint ssrc, ReportBlock block)
    {
        buffer[0] = 0x81;
        buffer[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 7);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], ssrc);
        WriteBlock(buffer[8..], block);
        return 8 + BlockLength;
    }

    /// <summary>The 64-bit NTP timestamp (§4): seconds since 1900 and a binary fraction.</summary>
    public static ulong Ntp(DateTimeOffset time)
    {
        var sinceEpoch = time.UtcDateTime - new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var seconds = (ulong)sinceEpoch.Ticks / TimeSpan.TicksPerSecond;
        var fraction = ((ulong)sinceEpoch.Ticks % TimeSpan.TicksPerSecond << 32) / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }

    private static void WriteBlock(Span<byte> b, ReportBlock block)
    {
        BinaryPrimitives.WriteUInt32BigEndian(b, block.Ssrc);
        var lost = Math.Clamp(block.CumulativeLost, -0x800000, 0x7FFFFF);
        BinaryPrimitives.WriteUInt32BigEndian(b[4..], ((uint)block.FractionLost << 24) | ((uint)lost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(b[8..], block.ExtendedHighest);
        BinaryPrimitives.WriteUInt32BigEndian(b[12..], block.Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(b[16..], block.LastSr);
        BinaryPrimitives.WriteUInt32BigEndian(b[20..], block.DelaySinceLastSr);
    }
}
