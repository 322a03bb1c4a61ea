using Command.Contracts.Recordings;
using MediaBridge.Legs.Recorders;
using MediaBridge.Sdp;

namespace MediaBridge.Tests.Legs.Recorders;

/// <summary>The SDP file and command line ffmpeg records by, the disk floor, and the playlists of a recording's parts.</summary>
public sealed class RecordingRecipeTests
{
    [Fact]
    public void The_sdp_names_opus_and_h264_on_loopback_ports_and_parses_back()
    {
        var text = RecordingSdp.Write(40000, 40002, VideoCodec.H264);
        Assert.Contains("c=IN IP4 127.0.0.1\r\n", text);
        Assert.Contains("m=audio 40000 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n", text);
        Assert.Contains("m=video 40002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\n", text);
        Assert.True(SdpParser.TryParse(text, out var parsed, out _));
        Assert.Equal(2, parsed.Media.Count);
    }

    [Fact]
    public void The_sdp_names_vp8_and_leaves_video_out_for_a_session_without_it()
    {
        Assert.Contains("m=video 40002 RTP/AVP 97\r\na=rtpmap:97 VP8/90000\r\n", RecordingSdp.Write(40000, 40002, VideoCodec.Vp8));
        var audioOnly = RecordingSdp.Write(40000, null, VideoCodec.None);
        Assert.DoesNotContain("m=video", audioOnly);
        Assert.Contains("m=audio 40000", audioOnly);
    }

    [Fact]
    public void H264_is_copied_and_vp8_coded_once_to_h264_with_a_keyframe_per_segment_sound_to_aac_in_hls()
    {
        var copy = FfmpegArguments.For("/rec/r1/part-1", VideoCodec.H264, 2, TimeSpan.FromSeconds(5));
        Assert.Equal(["-protocol_whitelist", "file,udp,rtp"], Window(copy, "-protocol_whitelist", 2));
        Assert.Equal(["-i", "/rec/r1/part-1/rec.sdp"], Window(copy, "-i", 2));
        Assert.Equal(["-listen_timeout", "5"], Window(copy, "-listen_timeout", 2));
        Assert.Equal(["-c:v", "copy"], Window(copy, "-c:v", 2));
        Assert.Equal(["-c:a", "aac"], Window(copy, "-c:a", 2));
        Assert.Equal(["-hls_time", "2"], Window(copy, "-hls_time", 2));
        Assert.Equal(["-hls_list_size", "0"], Window(copy, "-hls_list_size", 2));
        Assert.Contains("append_list", Window(copy, "-hls_flags", 2)[1]);
        Assert.Contains("independent_segments", Window(copy, "-hls_flags", 2)[1]);
        Assert.Equal(["-hls_segment_filename", "/rec/r1/part-1/seg-%05d.ts"], Window(copy, "-hls_segment_filename", 2));
        Assert.Equal("/rec/r1/part-1/index.m3u8", copy[^1]);
        Assert.DoesNotContain("libx264", copy);

        var coded = FfmpegArguments.For("/rec/r1/part-2", VideoCodec.Vp8, 1.5, TimeSpan.FromSeconds(5));
        Assert.Equal(["-c:v", "libx264"], Window(coded, "-c:v", 2));
        Assert.Equal(["-force_key_frames", "expr:gte(t,n_forced*1.5)"], Window(coded, "-force_key_frames", 2));

        var sound = FfmpegArguments.For("/rec/r1/part-3", VideoCodec.None, 2, TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("0:v", sound);
        Assert.DoesNotContain("-c:v", sound);
    }

    [Theory]
    [InlineData(false, 2000, 1000, false)]
    [InlineData(false, 999, 1000, true)]
    [InlineData(true, 1050, 1000, true)]
    [InlineData(true, 1200, 1000, false)]
    [InlineData(false, 0, 0, false)]
    public void Recording_stops_below_the_floor_and_resumes_only_a_margin_above_it(bool wasStopped, long freeMegabytes, long floorMegabytes, bool stopped)
    {
        const long Mb = 1024 * 1024;
        Assert.Equal(stopped, DiskFloor.Stopped(wasStopped, freeMegabytes * Mb, floorMegabytes * Mb));
    }

    [Fact]
    public void The_alarm_names_the_free_space_and_the_floor()
    {
        Assert.Equal("recording stopped: 12 MB free on the recordings disk, below the floor of 100 MB", DiskFloor.Alarm(12L * 1024 * 1024, 100L * 1024 * 1024));
    }

    [Fact]
    public void Parts_are_played_in_turn_with_a_discontinuity_and_the_playlist_closes_when_the_recording_ended()
    {
        const string Part1 = "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.000000,\nseg-00000.ts\n#EXTINF:1.500000,\nseg-00001.ts\n#EXT-X-ENDLIST\n";
        const string Part2 = "#EXTM3U\n#EXTINF:2.400000,\nseg-00000.ts\n#EXTINF:1.0,\n../../etc/passwd\n#EXTINF:1.0,\nhttp://elsewhere/seg.ts\n";
        Assert.Equal(3.5, HlsPlaylist.Duration(Part1), 6);

        var live = HlsPlaylist.Combine([("part-1", Part1), ("part-2", Part2)], ended: false);
        Assert.Equal(
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-INDEPENDENT-SEGMENTS\n"
            + "#EXTINF:2.000,\npart-1/seg-00000.ts\n#EXTINF:1.500,\npart-1/seg-00001.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2.400,\npart-2/seg-00000.ts\n",
            live);
        Assert.EndsWith("#EXT-X-ENDLIST\n", HlsPlaylist.Combine([("part-1", Part1)], ended: true));
    }

    [Theory]
    [InlineData(2.002, 2)]
    [InlineData(2.4, 2)]
    [InlineData(2.5, 3)]
    [InlineData(1.04, 1)]
    [InlineData(0.3, 1)]
    public void The_target_duration_is_the_longest_segment_rounded_to_the_nearest_second(double longest, int target)
    {
        Assert.Equal(target, HlsPlaylist.TargetDuration(longest));
        Assert.Contains($"#EXT-X-TARGETDURATION:{target}\n", HlsPlaylist.Combine([("part-1", $"#EXTINF:{longest.ToString(System.Globalization.CultureInfo.InvariantCulture)},\nseg-00000.ts\n")], ended: false));
    }

    [Theory]
    [InlineData("seg-00001.ts", true)]
    [InlineData("../seg-00001.ts", false)]
    [InlineData("seg-1.ts.tmp", false)]
    [InlineData("index.m3u8", false)]
    public void Only_segment_names_are_segments(string name, bool segment) => Assert.Equal(segment, HlsPlaylist.IsSegment(name));

    [Theory]
    [InlineData("part-12", 12)]
    [InlineData("part-x", -1)]
    [InlineData("..", -1)]
    public void Part_folders_are_numbered(string name, int number) => Assert.Equal(number, HlsPlaylist.PartNumber(name));

    private static string[] Window(IReadOnlyList<string> args, string first, int length)
    {
        var index = args.ToList().IndexOf(first);
        Assert.True(index >= 0, $"{first} is missing from: {string.Join(' ', args)}");
        return [.. args.Skip(index).Take(length)];
    }
}
