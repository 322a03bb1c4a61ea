using System.Globalization;
using System.Text;
using MediaBridge.Sdp;

namespace MediaBridge.Legs.Recorders;

/// <summary>
/// The session description ffmpeg reads a recorder's media by: Opus sound and the session's video (H.264
/// or VP8) as plain RTP on loopback ports, RTCP on the next port up (RFC 3550 §11).
/// </summary>
public static class RecordingSdp
{
    public const int AudioPayloadType = 111;

    public const int H264PayloadType = 96;

    public const int Vp8PayloadType = 97;

    public static SdpCodec AudioCodec { get; } = new(AudioPayloadType, "opus", 48000, 2);

    /// <summary>The video codec as the recorder's leg is negotiated with it; null for a session without video.</summary>
    public static SdpCodec? VideoCodecFor(VideoCodec codec) => codec switch
    {
        VideoCodec.H264 => new SdpCodec(H264PayloadType, "H264", 90000, 1, "packetization-mode=1"),
        VideoCodec.Vp8 => new SdpCodec(Vp8PayloadType, "VP8", 90000),
        _ => null,
    };

    public static string Write(int audioPort, int? videoPort, VideoCodec video)
    {
        var sdp = new StringBuilder()
            .Append("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=Command recording\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n");
        Media(sdp, "audio", audioPort, AudioCodec);
        if (videoPort is { } port && VideoCodecFor(video) is { } codec)
        {
            Media(sdp, "video", port, codec);
        }

        return sdp.ToString();
    }

    private static void Media(StringBuilder sdp, string kind, int port, SdpCodec codec)
    {
        sdp.Append(CultureInfo.InvariantCulture, $"m={kind} {port} RTP/AVP {codec.PayloadType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"a=rtpmap:{codec.RtpMap}\r\n");
        if (codec.Fmtp is { } fmtp)
        {
            sdp.Append(CultureInfo.InvariantCulture, $"a=fmtp:{codec.PayloadType} {fmtp}\r\n");
        }

        sdp.Append("a=recvonly\r\n");
    }
}
