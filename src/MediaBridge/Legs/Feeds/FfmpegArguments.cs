using System.Globalization;
using MediaBridge.Sdp;

namespace MediaBridge.Legs.Feeds;

/// <summary>
/// What an ffmpeg transcode of a camera is told. Its input is RTP the bridge sends it on loopback,
/// described by an SDP given as a data: URL (loopback port and codec only: no camera URL or credential
/// is ever on its command line, which anyone may read in ps); its output is RTP to a loopback port of the bridge, H.264 (constrained baseline,
/// libx264 veryfast/zerolatency) or VP8 (libvpx realtime), at a set bit rate with a keyframe at a set
/// interval, its frames passed through as they come (no frame rate imposed, no audio).
/// </summary>
public static class FfmpegArguments
{
    /// <summary>The largest RTP packet it sends: room for SRTP and tunnels within a 1280-byte path.</summary>
    public const int PacketSize = 1200;

    /// <summary>Its output's payload type.</summary>
    public const int PayloadType = 96;

    /// <summary>The SDP of its input: one video stream of <paramref name="encoding"/> (e.g. <c>H265</c>) on 127.0.0.1:<paramref name="port"/>.</summary>
    public static string InputSdp(int port, int payloadType, string encoding, int clockRate, string? fmtp)
    {
        var lines = new List<string>
        {
            "v=0",
            "o=- 0 0 IN IP4 127.0.0.1",
            "s=camera",
            "c=IN IP4 127.0.0.1",
            "t=0 0",
            Invariant($"m=video {port} RTP/AVP {payloadType}"),
            Invariant($"a=rtpmap:{payloadType} {encoding}/{clockRate}"),
        };
        if (!string.IsNullOrWhiteSpace(fmtp) && !fmtp.Any(char.IsControl))
        {
            lines.Add(Invariant($"a=fmtp:{payloadType} {fmtp.Trim()}"));
        }

        return string.Join("\r\n", lines) + "\r\n";
    }

    public static IReadOnlyList<string> Transcode(string inputSdp, VideoCodec output, int outputPort, int kbps, TimeSpan keyframeEvery)
    {
        if (output is not (VideoCodec.H264 or VideoCodec.Vp8))
        {
            throw new ArgumentOutOfRangeException(nameof(output), output, "ffmpeg transcodes to H.264 or VP8");
        }

        var rate = Invariant($"{Math.Max(64, kbps)}k");
        var arguments = new List<string>
        {
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "warning",
            "-protocol_whitelist", "data,udp,rtp",
            "-fflags", "nobuffer", "-flags", "low_delay",
            "-f", "sdp", "-i", "data:application/sdp;base64," + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(inputSdp)),
            "-map", "0:v:0", "-an", "-sn", "-dn",
            "-fps_mode", "passthrough",
            "-force_key_frames", Invariant($"expr:gte(t,n_forced*{keyframeEvery.TotalSeconds:0.###})"),
            "-b:v", rate, "-maxrate", rate, "-bufsize", rate,
        };
        arguments.AddRange(output == VideoCodec.H264
            ? ["-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-sc_threshold", "0"]
            : ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-lag-in-frames", "0", "-auto-alt-ref", "0", "-error-resilient", "1", "-pix_fmt", "yuv420p"]);
        arguments.AddRange(["-payload_type", PayloadType.ToString(CultureInfo.InvariantCulture), "-f", "rtp", Invariant($"rtp://127.0.0.1:{outputPort}?pkt_size={PacketSize}")]);
        return arguments;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
