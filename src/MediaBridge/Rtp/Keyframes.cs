using System.Buffers.Binary;
using MediaBridge.Sdp;

namespace MediaBridge.Rtp;

/// <summary>Recognizes the first packet of a frame a decoder can start from.</summary>
public static class Keyframes
{
    /// <summary>
    /// H.264 (RFC 6184 §5.4): an SPS or IDR NAL unit, alone, in a STAP-A, or starting an FU-A.
    /// VP8 (RFC 7741 §4.2–4.3): the start of partition 0 with the inter-frame bit clear.
    /// </summary>
    public static bool IsKeyframeStart(VideoCodec codec, ReadOnlySpan<byte> payload) => codec switch
    {
        VideoCodec.H264 => IsH264KeyframeStart(payload),
        VideoCodec.Vp8 => IsVp8KeyframeStart(payload),
        _ => false,
    };

    private static bool IsH264KeyframeStart(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return false;
        }

        var type = payload[0] & 0x1F;
        return type switch
        {
            5 or 7 => true,
            24 => AggregateStartsKeyframe(payload),
            28 => payload.Length > 1 && (payload[1] & 0x80) != 0 && (payload[1] & 0x1F) is 5 or 7,
            _ => false,
        };
    }

    /// <summary>
    /// A STAP-A carrying an SPS or IDR slice starts a keyframe even when an access unit delimiter or SEI
    /// comes first in it, as ffmpeg aggregates them from an MPEG-TS source and some cameras send them.
    /// </summary>
    private static bool AggregateStartsKeyframe(ReadOnlySpan<byte> payload)
    {
        for (var at = 1; at + 2 < payload.Length;)
        {
            var size = BinaryPrimitives.ReadUInt16BigEndian(payload[at..]);
            if (size == 0)
            {
                return false;
            }

            if ((payload[at + 2] & 0x1F) is 5 or 7)
            {
                return true;
            }

            at += 2 + size;
        }

        return false;
    }

    private static bool IsVp8KeyframeStart(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return false;
        }

        var start = (payload[0] & 0x10) != 0;
        var partition = payload[0] & 0x07;
        var offset = 1;
        if ((payload[0] & 0x80) != 0)
        {
            if (payload.Length < 2)
            {
                return false;
            }

            var x = payload[1];
            offset = 2;
            if ((x & 0x80) != 0)
            {
                offset += payload.Length > offset && (payload[offset] & 0x80) != 0 ? 2 : 1;
            }

            offset += ((x & 0x40) != 0 ? 1 : 0) + ((x & 0x30) != 0 ? 1 : 0);
        }

        return start && partition == 0 && payload.Length > offset && (payload[offset] & 0x01) == 0;
    }
}
