using System.Text;
using MediaBridge.Legs.Feeds;
using MediaBridge.Sdp;

namespace MediaBridge.Tests.Legs.Feeds;

/// <summary>What ffmpeg is told for a transcode: loopback RTP in and out, the encoder's low-latency settings, nothing of the camera.</summary>
public sealed class FfmpegArgumentsTests
{
    private static readonly string Sdp = FfmpegArguments.InputSdp(40000, 96, "H265", 90000, null);

    [Fact]
    public void An_H264_transcode_is_constrained_baseline_veryfast_zerolatency_with_a_keyframe_each_period_at_the_bit_rate()
    {
        var arguments = FfmpegArguments.Transcode(Sdp, VideoCodec.H264, 41000, 1200, TimeSpan.FromSeconds(1.5));

        Assert.Equal("libx264", After(arguments, "-c:v"));
        Assert.Equal("veryfast", After(arguments, "-preset"));
        Assert.Equal("zerolatency", After(arguments, "-tune"));
        Assert.Equal("baseline", After(arguments, "-profile:v"));
        Assert.Equal("yuv420p", After(arguments, "-pix_fmt"));
        Assert.Equal("expr:gte(t,n_forced*1.5)", After(arguments, "-force_key_frames"));
        Assert.Equal("1200k", After(arguments, "-b:v"));
        Assert.Equal("1200k", After(arguments, "-maxrate"));
        Assert.Equal("96", After(arguments, "-payload_type"));
        Assert.Equal("rtp", After(arguments, "-f", last: true));
        Assert.Equal("rtp://127.0.0.1:41000?pkt_size=1200", arguments[^1]);
        Assert.Contains("-an", arguments);
    }

    [Fact]
    public void A_VP8_transcode_is_libvpx_realtime_without_lag()
    {
        var arguments = FfmpegArguments.Transcode(Sdp, VideoCodec.Vp8, 41002, 800, TimeSpan.FromSeconds(2));

        Assert.Equal("libvpx", After(arguments, "-c:v"));
        Assert.Equal("realtime", After(arguments, "-deadline"));
        Assert.Equal("0", After(arguments, "-lag-in-frames"));
        Assert.Equal("expr:gte(t,n_forced*2)", After(arguments, "-force_key_frames"));
        Assert.Equal("800k", After(arguments, "-b:v"));
        Assert.DoesNotContain("libx264", arguments);
        Assert.Equal("rtp://127.0.0.1:41002?pkt_size=1200", arguments[^1]);
    }

    [Fact]
    public void The_input_is_the_loopback_SDP_as_a_data_url_so_no_camera_address_or_credential_is_on_the_command_line()
    {
        var arguments = FfmpegArguments.Transcode(Sdp, VideoCodec.H264, 41000, 1500, TimeSpan.FromSeconds(1));

        Assert.Equal("sdp", After(arguments, "-f"));
        var input = After(arguments, "-i");
        Assert.StartsWith("data:application/sdp;base64,", input, StringComparison.Ordinal);
        Assert.Equal(Sdp, Encoding.ASCII.GetString(Convert.FromBase64String(input["data:application/sdp;base64,".Length..])));
        Assert.Equal("data,udp,rtp", After(arguments, "-protocol_whitelist"));
        Assert.DoesNotContain(arguments, a => a.Contains("rtsp", StringComparison.OrdinalIgnoreCase) || a.Contains('@'));
    }

    [Fact]
    public void The_input_sdp_names_the_loopback_port_the_codec_and_the_cameras_fmtp()
    {
        var sdp = FfmpegArguments.InputSdp(40000, 97, "H265", 90000, "sprop-vps=QAEMAf//;sprop-sps=QgEBAW;sprop-pps=RAHAcYMS");

        Assert.Equal(
            "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=camera\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=video 40000 RTP/AVP 97\r\n" +
            "a=rtpmap:97 H265/90000\r\na=fmtp:97 sprop-vps=QAEMAf//;sprop-sps=QgEBAW;sprop-pps=RAHAcYMS\r\n", sdp);
    }

    [Fact]
    public void A_cameras_fmtp_that_would_add_lines_is_left_out()
    {
        var sdp = FfmpegArguments.InputSdp(40000, 96, "H265", 90000, "sprop-vps=QAEM\r\nm=audio 5000 RTP/AVP 0");

        Assert.DoesNotContain("fmtp", sdp);
        Assert.DoesNotContain("m=audio", sdp);
    }

    [Fact]
    public void Only_H264_and_VP8_are_transcoded_to()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FfmpegArguments.Transcode(Sdp, VideoCodec.None, 41000, 1500, TimeSpan.FromSeconds(1)));
    }

    private static string After(IReadOnlyList<string> arguments, string option, bool last = false)
    {
        var at = last ? arguments.ToList().LastIndexOf(option) : arguments.ToList().IndexOf(option);
        Assert.True(at >= 0 && at + 1 < arguments.Count, $"{option} in {string.Join(' ', arguments)}");
        return arguments[at + 1];
    }
}
