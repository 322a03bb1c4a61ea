using System.Globalization;
using MediaBridge.Sdp;

namespace MediaBridge.Legs.Recorders;

/// <summary>
/// The ffmpeg command line of one recording part: RTP in through the part's SDP file, HLS out with MPEG-TS
/// segments and a playlist that ffmpeg rewrites after each one (append_list keeps what a killed run wrote).
/// H.264 is copied as it is; VP8 is coded once to H.264 with a keyframe at every segment boundary; sound
/// goes to AAC. ffmpeg stops by itself once packets stop for <paramref name="silenceExit"/>.
/// </summary>
public static class FfmpegArguments
{
    public const string Playlist = "index.m3u8";

    public const string SdpFile = "rec.sdp";

    public static IReadOnlyList<string> For(string partDirectory, VideoCodec video, double segmentSeconds, TimeSpan silenceExit)
    {
        var segment = segmentSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var args = new List<string>
        {
            "-hide_banner", "-loglevel", "warning", "-nostats", "-y",
            "-protocol_whitelist", "file,udp,rtp",
            "-listen_timeout", Math.Max(1, (int)Math.Ceiling(silenceExit.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
            "-fflags", "+genpts",
            "-i", Path.Combine(partDirectory, SdpFile),
            "-map", "0:a",
        };

        switch (video)
        {
            case VideoCodec.H264:
                args.AddRange(["-map", "0:v", "-c:v", "copy"]);
                break;
            case VideoCodec.Vp8:
                args.AddRange([
                    "-map", "0:v", "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                    "-force_key_frames", $"expr:gte(t,n_forced*{segment})",
                ]);
                break;
        }

        args.AddRange([
            "-c:a", "aac", "-b:a", "96k", "-ar", "48000",
            "-max_muxing_queue_size", "1024",
            "-f", "hls", "-hls_time", segment, "-hls_list_size", "0", "-hls_playlist_type", "event",
            "-hls_segment_type", "mpegts", "-hls_flags", "append_list+independent_segments+temp_file",
            "-hls_segment_filename", Path.Combine(partDirectory, "seg-%05d.ts"),
            Path.Combine(partDirectory, Playlist),
        ]);
        return args;
    }
}
