using System.Buffers.Binary;

namespace MediaBridge.Rtcp;

/// <summary>Keyframe requests the bridge sends to a source when a receiver switches to it.</summary>
public static class RtcpFeedback
{
    public const int PliLength = 12;
    public const int FirLength = 20;

    /// <summary>Picture Loss Indication: payload-specific feedback PT=206, FMT=1, no FCI (RFC 4585 §6.3.1).</summary>
    public static int WritePli(Span<byte> buffer, uint senderSsrc, uint mediaSsrc)
    {
        buffer[0] = 0x80 | 1;
        buffer[1] = 206;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 2);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], mediaSsrc);
        return PliLength;
    }

    /// <summary>
    /// Full Intra Request: PT=206, FMT=4, media source 0, one FCI of target SSRC and command sequence
    /// number (RFC 5104 §4.3.1), which must rise with each new request.
    /// </summary>
    public static int WriteFir(Span<byte> buffer, uint senderSsrc, uint mediaSsrc, byte sequence)
    {
        buffer[0] = 0x80 | 4;
        buffer[1] = 206;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 4);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[12..], mediaSsrc);
        buffer[16] = sequence;
        buffer[17] = 0;
        buffer[18] = 0;
        buffer[19] = 0;
        return FirLength;
    }
}
