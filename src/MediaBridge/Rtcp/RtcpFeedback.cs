using System.Buffers.Binary;

namespace MediaBridge.Rtcp;

/// <summary>Keyframe requests the bridge sends to a source when a receiver switches to it, and the bitrate it allows a browser.</summary>
public static class RtcpFeedback
{
    public const int PliLength = 12;
    public const int FirLength = 20;
    public const int RembLength = 24;

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

    /// <summary>
    /// Receiver Estimated Maximum Bitrate (draft-alvestrand-rmcat-remb-03 §2.2): PT=206, FMT=15, media
    /// source 0, "REMB", one SSRC, and the bitrate as an 18-bit mantissa with a 6-bit exponent.
    /// </summary>
    public static int WriteRemb(Span<byte> buffer, uint senderSsrc, uint mediaSsrc, long bitsPerSecond)
    {
        var mantissa = Math.Max(0, bitsPerSecond);
        var exponent = 0;
        while (mantissa > 0x3FFFF)
        {
            mantissa >>= 1;
            exponent++;
        }

        buffer[0] = 0x80 | 15;
        buffer[1] = 206;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 5);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], 0);
        "REMB"u8.CopyTo(buffer[12..]);
        buffer[16] = 1;
        buffer[17] = (byte)((exponent << 2) | (int)(mantissa >> 16));
        BinaryPrimitives.WriteUInt16BigEndian(buffer[18..], (ushort)mantissa);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[20..], mediaSsrc);
        return RembLength;
    }
}
