using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Command.Contracts.Feeds;
using Command.Contracts.Media;
using Command.Grains.Tests.Infrastructure;
using MediaBridge.Legs.Feeds;
using MediaBridge.Rtp;
using MediaBridge.Rtsp;
using MediaBridge.Sdp;
using MediaBridge.Tests.Conference;

namespace MediaBridge.Tests.Legs.Feeds;

/// <summary>
/// Cameras a receiver cannot take as they are, through a real ffmpeg: GStreamer's RTSP server sending
/// H.265 only reaches an H.264 phone as decodable H.264 and is reported as transcoded from H.265; an
/// H.264 camera reaches a phone whose session is VP8 as decodable VP8. Each is encoded at the camera's
/// measured bit rate, not the configured fallback. No ffmpeg outlives its use.
/// </summary>
public sealed class TranscodingTests
{
    private static readonly FeedOptions Options = new()
    {
        ReportEvery = TimeSpan.FromMilliseconds(500),
        Silence = TimeSpan.FromSeconds(3),
        RetryFirst = TimeSpan.FromMilliseconds(500),
        RetryMax = TimeSpan.FromSeconds(2),
        LetGo = TimeSpan.FromSeconds(1),
        TranscodeKbps = 3000,
        TranscodeMeasure = TimeSpan.FromSeconds(1),
        TranscodeRestartFirst = TimeSpan.FromMilliseconds(300),
        TranscodeRestartMax = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task An_H265_camera_reaches_an_H264_receiver_as_decodable_H264_reported_as_transcoded_from_H265()
    {
        var port = FreeTcpPort();
        using var camera = Run("/usr/bin/python3", Path.Combine(AppContext.BaseDirectory, "Legs", "Feeds", "rtsp_camera_h265.py"), port.ToString(CultureInfo.InvariantCulture));
        var bridge = LoopbackConference.Start(feeds: Options);
        try
        {
            await using var viewer = Phone(bridge, 1, "H264");
            Assert.Equal(200, (await viewer.RegisterAsync()).StatusCode);
            var feed = new PlanFeed($"f-{Guid.NewGuid():N}", $"rtsp://127.0.0.1:{port}/cam", "officer", "not-on-any-command-line");
            bridge.Planner.Apply(Plan($"h265-{Guid.NewGuid():N}", 1, feed));
            await bridge.WaitForAsync(() => viewer.InCall, "the viewer in the call");
            await bridge.WaitForAsync(() => Pictures(viewer) > 20, "20 transcoded pictures at the viewer", 40);
            await bridge.WaitForAsync(() => bridge.FeedReports.Any(r => r.FeedId == feed.FeedId && r.Report is { Status: FeedStatus.Online, Width: 320, Height: 240 }),
                "the feed reported online at 320x240");

            var report = bridge.FeedReports.Last(r => r.FeedId == feed.FeedId && r.Report.Status == FeedStatus.Online).Report;
            TestContext.Current.TestOutputHelper?.WriteLine($"Report: {report}");
            Assert.Equal("H265", report.TranscodedFrom);
            Assert.StartsWith("H264", report.Codec, StringComparison.Ordinal);
            Assert.True(report.Fps > 5, $"{report.Fps} pictures/s");

            var transcodes = Transcodes();
            Assert.Single(transcodes);
            Assert.DoesNotContain("not-on-any-command-line", transcodes[0].CommandLine);
            Assert.DoesNotContain("rtsp://", transcodes[0].CommandLine);
            var kbps = int.Parse(System.Text.RegularExpressions.Regex.Match(transcodes[0].CommandLine, @"-b:v (\d+)k").Groups[1].Value, CultureInfo.InvariantCulture);
            TestContext.Current.TestOutputHelper?.WriteLine($"The camera's 500 kbit/s measured and transcoded at {kbps} kbit/s");
            Assert.InRange(kbps, 150, 1500);

            var packets = viewer.Video.Select(r => r.Packet).ToList();
            Assert.True(IsH264KeyframeStart(packets[0]), "the receiver starts at a keyframe");
            await AssertH264DecodesAsync(packets, minimumPictures: 15);
        }
        finally
        {
            await bridge.DisposeAsync();
        }

        await Eventually.Until(() => Task.FromResult(Transcodes().Count), n => n == 0, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_H264_camera_reaches_a_VP8_session_as_decodable_VP8_through_one_shared_transcode_let_go_after_use()
    {
        var port = FreeTcpPort();
        using var camera = Run("/usr/bin/python3", Path.Combine(AppContext.BaseDirectory, "Rtsp", "rtsp_camera.py"), port.ToString(CultureInfo.InvariantCulture), "15", "15");
        await using var bridge = LoopbackConference.Start(feeds: Options);
        await using var first = Phone(bridge, 1, "VP8");
        await using var second = Phone(bridge, 2, "VP8");
        Assert.Equal(200, (await first.RegisterAsync()).StatusCode);
        Assert.Equal(200, (await second.RegisterAsync()).StatusCode);
        var feed = new PlanFeed($"f-{Guid.NewGuid():N}", $"rtsp://127.0.0.1:{port}/cam", null, null);
        var one = $"vp8-{Guid.NewGuid():N}";
        var two = $"vp8-{Guid.NewGuid():N}";

        // The phones answer VP8 before any camera is attached, which fixes each session's video to VP8.
        bridge.Planner.Apply(new ConferencePlan(one, true, [new PlanLeg("v1", false, null)], 1));
        bridge.Planner.Apply(new ConferencePlan(two, true, [new PlanLeg("v2", false, null)], 1));
        await bridge.WaitForAsync(() => first.InCall && second.InCall, "both phones in their calls");
        Assert.Equal(VideoCodec.Vp8, bridge.Media.VideoCodecOf(one));
        bridge.Planner.Apply(new ConferencePlan(one, true, [new PlanLeg("v1", false, null) { VideoSourceFeedId = feed.FeedId }], 2) { Feeds = [feed] });
        bridge.Planner.Apply(new ConferencePlan(two, true, [new PlanLeg("v2", false, null) { VideoSourceFeedId = feed.FeedId }], 2) { Feeds = [feed] });

        await bridge.WaitForAsync(() => Pictures(first) > 20 && Pictures(second) > 20, "20 VP8 pictures at both phones", 40);
        Assert.Equal(VideoCodec.Vp8, bridge.Media.VideoCodecOf(one));
        Assert.Equal(1, bridge.Transcodes!.Running);
        Assert.Single(Transcodes());
        foreach (var phone in new[] { first, second })
        {
            var packets = phone.Video.Select(r => r.Packet).ToList();
            Assert.True(Keyframes.IsKeyframeStart(VideoCodec.Vp8, Payload(packets[0])), "the receiver starts at a VP8 keyframe");
            await AssertVp8DecodesAsync(packets, minimumPictures: 15);
        }

        bridge.Planner.Apply(new ConferencePlan(one, true, [new PlanLeg("v1", false, null)], 3));
        await Task.Delay(Options.LetGo * 2, TestContext.Current.CancellationToken);
        Assert.Equal(1, bridge.Transcodes.Running);
        bridge.Planner.Apply(new ConferencePlan(two, true, [new PlanLeg("v2", false, null)], 3));
        await bridge.WaitForAsync(() => bridge.Transcodes.Running == 0, "the transcode let go once no session uses it");
        await Eventually.Until(() => Task.FromResult(Transcodes().Count), n => n == 0, TimeSpan.FromSeconds(10));
    }

    private static ScriptedPhone Phone(LoopbackConference bridge, int venue, string codec) =>
        new($"210{venue}", LoopbackConference.PasswordFor($"210{venue}"), (byte)venue, bridge.SipEndPoint, LoopbackConference.Domain) { AnswerVideo = codec };

    private static ConferencePlan Plan(string session, long version, PlanFeed feed) =>
        new(session, true, [new PlanLeg("v1", false, null) { VideoSourceFeedId = feed.FeedId }], version) { Feeds = [feed] };

    private static int Pictures(ScriptedPhone phone) =>
        phone.Video.Select(r => BinaryPrimitives.ReadUInt32BigEndian(r.Packet.AsSpan(4))).Distinct().Count();

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The ffmpeg transcodes this test process runs now (each under its lifeline shell), with their command lines.</summary>
    private static List<(int Pid, string CommandLine)> Transcodes()
    {
        var mine = Environment.ProcessId;
        var found = new List<(int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (ParentOf(parent) == mine && stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')] == "ffmpeg" && commandLine.Contains("application/sdp", StringComparison.Ordinal))
                {
                    found.Add((pid, commandLine));
                }
            }
            catch (IOException)
            {
            }
        }

        return found;
    }

    private static bool IsH264KeyframeStart(byte[] packet) => Keyframes.IsKeyframeStart(VideoCodec.H264, Payload(packet));

    private static byte[] Payload(byte[] packet) =>
        RtpHeader.TryRead(packet, out var h) ? RtpHeader.Payload(packet, h).ToArray() : [];

    private static async Task AssertH264DecodesAsync(List<byte[]> packets, int minimumPictures)
    {
        var depacketizer = new H264Depacketizer();
        var units = packets.SelectMany(p => depacketizer.Push(p)).ToList();
        Assert.True(units.Count >= minimumPictures, $"{units.Count} pictures");
        Assert.True(units[0].Keyframe);
        Assert.Equal(0, depacketizer.Lost);
        await AssertDecodesAsync("h264", units.SelectMany(u => u.AnnexB()).ToArray(), minimumPictures);
    }

    /// <summary>The VP8 frames (RFC 7741: descriptor stripped, a frame per timestamp) in an IVF file ffmpeg must decode without an error.</summary>
    private static async Task AssertVp8DecodesAsync(List<byte[]> packets, int minimumPictures)
    {
        var frames = new List<(uint Timestamp, List<byte> Data)>();
        ushort? last = null;
        foreach (var packet in packets)
        {
            Assert.True(RtpHeader.TryRead(packet, out var h));
            Assert.True(last is null || (ushort)(h.SequenceNumber - last.Value) == 1, "no packet lost or reordered");
            last = h.SequenceNumber;
            var payload = RtpHeader.Payload(packet, h);
            var at = 1;
            if ((payload[0] & 0x80) != 0)
            {
                var x = payload[1];
                at = 2 + ((x & 0x80) != 0 ? ((payload[2] & 0x80) != 0 ? 2 : 1) : 0) + ((x & 0x40) != 0 ? 1 : 0) + ((x & 0x30) != 0 ? 1 : 0);
            }

            if (frames.Count == 0 || frames[^1].Timestamp != h.Timestamp)
            {
                frames.Add((h.Timestamp, []));
            }

            frames[^1].Data.AddRange(payload[at..].ToArray());
        }

        Assert.True(frames.Count >= minimumPictures, $"{frames.Count} pictures");
        var ivf = new List<byte>();
        var header = new byte[32];
        "DKIF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 32);
        "VP80"u8.CopyTo(header.AsSpan(8));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(12), 320);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(14), 240);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 90000);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), (uint)frames.Count);
        ivf.AddRange(header);
        foreach (var (timestamp, data) in frames)
        {
            var frame = new byte[12];
            BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)data.Count);
            BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(4), timestamp - frames[0].Timestamp);
            ivf.AddRange(frame);
            ivf.AddRange(data);
        }

        await AssertDecodesAsync("ivf", [.. ivf], minimumPictures);
    }

    /// <summary>ffmpeg decodes the stream without a word of error, to at least <paramref name="minimumPictures"/> pictures.</summary>
    private static async Task AssertDecodesAsync(string format, byte[] stream, int minimumPictures)
    {
        var file = Path.Combine(Path.GetTempPath(), $"transcoded-{Guid.NewGuid():N}.{format}");
        await File.WriteAllBytesAsync(file, stream, TestContext.Current.CancellationToken);
        try
        {
            using var ffmpeg = Process.Start(new ProcessStartInfo("/usr/bin/ffmpeg", ["-hide_banner", "-v", "error", "-f", format, "-i", file, "-f", "framecrc", "-"])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            var output = ffmpeg.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var errors = await ffmpeg.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await ffmpeg.WaitForExitAsync(TestContext.Current.CancellationToken);
            var pictures = (await output).Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#'));
            TestContext.Current.TestOutputHelper?.WriteLine($"{format}: ffmpeg decoded {pictures} pictures");
            Assert.True(ffmpeg.ExitCode == 0 && errors.Trim().Length == 0, errors);
            Assert.True(pictures >= minimumPictures, $"{pictures} pictures decoded");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static ProcessHandle Run(string file, params string[] arguments) =>
        new(Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true })!);

    private static int FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class ProcessHandle(Process process) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }
    }
}
