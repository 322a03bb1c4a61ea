using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Command.Contracts.Feeds;
using Command.Contracts.Media;
using MediaBridge.Legs.Feeds;
using MediaBridge.Rtp;
using MediaBridge.Rtp.H264;
using MediaBridge.Rtsp;
using MediaBridge.Sdp;
using MediaBridge.Tests.Conference;

namespace MediaBridge.Tests.Legs.Feeds;

/// <summary>
/// Real cameras into a session whose receiver is a scripted SIP phone: GStreamer's RTSP server with a
/// 4 s keyframe interval, pulled; ffmpeg pushing RTP to a feed's port; and a camera server killed and
/// started again. What the phone gets must start at a keyframe, decode, and come at once on a switch.
/// </summary>
public sealed class CameraSwitchTests
{
    private static readonly FeedOptions Options = new()
    {
        ReportEvery = TimeSpan.FromMilliseconds(500),
        Silence = TimeSpan.FromSeconds(1.5),
        RetryFirst = TimeSpan.FromMilliseconds(500),
        RetryMax = TimeSpan.FromSeconds(2),
        LetGo = TimeSpan.FromSeconds(2),
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_switch_to_a_pulled_camera_shows_a_decodable_keyframe_within_150_ms_from_the_cache(bool udp)
    {
        var port = FreeTcpPort();
        using var camera = Camera(port);
        await using var bridge = LoopbackConference.Start(feeds: Options);
        await using var viewer = Phone(bridge, 1);
        await using var speaker = Phone(bridge, 2);
        Assert.Equal(200, (await viewer.RegisterAsync()).StatusCode);
        Assert.Equal(200, (await speaker.RegisterAsync()).StatusCode);
        var session = $"cam-{Guid.NewGuid():N}";
        var feed = new PlanFeed($"f-{Guid.NewGuid():N}", $"rtsp://127.0.0.1:{port}/cam{(udp ? "?transport=udp" : "")}", null, null);

        bridge.Planner.Apply(Plan(session, 1, feed, viewerSource: null));
        await bridge.WaitForAsync(() => viewer.InCall && speaker.InCall, "both phones in the call");
        await bridge.WaitForAsync(() => viewer.Video.Any(r => IsPhoneVideo(r.Packet, speaker.Tag)), "the viewer seeing the speaker", 15);
        await bridge.WaitForAsync(() => bridge.Feeds!.CameraOf(feed.FeedId)?.Cache.Count > 0, "the camera's keyframe cached", 20);
        await bridge.WaitForAsync(() => bridge.FeedReports.Any(r => r.FeedId == feed.FeedId && r.Report is { Status: FeedStatus.Online, Width: 320, Height: 240 }), "the feed reported online at 320x240");

        // Well inside the 4 s group: without the cache the next keyframe would be seconds away.
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        var before = viewer.Video.Count;
        var switched = DateTime.UtcNow;
        bridge.Planner.Apply(Plan(session, 2, feed, viewerSource: feed.FeedId));
        await bridge.WaitForAsync(() => viewer.Video.Skip(before).Any(r => IsCamera(r.Packet, speaker.Tag)), "camera video at the viewer");
        var first = viewer.Video.Skip(before).First(r => IsCamera(r.Packet, speaker.Tag));
        var latency = first.At - switched;
        TestContext.Current.TestOutputHelper?.WriteLine($"Switch to camera ({(udp ? "UDP" : "TCP")} pull): first camera packet after {latency.TotalMilliseconds:0.0} ms, keyframe start: {IsKeyframeStart(first.Packet)}");
        Console.WriteLine($"Switch to camera ({(udp ? "UDP" : "TCP")} pull): first decodable keyframe after {latency.TotalMilliseconds:0.0} ms");

        Assert.True(IsKeyframeStart(first.Packet), "the first camera packet a receiver gets starts a keyframe");
        Assert.True(latency < TimeSpan.FromMilliseconds(150), $"{latency.TotalMilliseconds:0} ms");

        await Task.Delay(1000, TestContext.Current.CancellationToken);
        await AssertDecodesAsync(viewer.Video.Skip(before).Where(r => IsCamera(r.Packet, speaker.Tag)).Select(r => r.Packet).ToList(), minimumPictures: 15);
    }

    [Fact]
    public async Task Ffmpeg_pushing_rtp_to_a_feeds_port_reaches_a_receiver()
    {
        var port = FreeUdpPort();
        await using var bridge = LoopbackConference.Start(feeds: Options);
        await using var viewer = Phone(bridge, 1);
        Assert.Equal(200, (await viewer.RegisterAsync()).StatusCode);
        var feed = new PlanFeed($"f-{Guid.NewGuid():N}", $"rtp://127.0.0.1:{port}", null, null);
        bridge.Planner.Apply(Plan($"push-{Guid.NewGuid():N}", 1, feed, viewerSource: feed.FeedId, speaker: false));
        await bridge.WaitForAsync(() => viewer.InCall, "the viewer in the call");
        using var ffmpeg = Run("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15",
            "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-g", "60", "-f", "rtp", $"rtp://127.0.0.1:{port}");

        await bridge.WaitForAsync(() => viewer.Video.Count(r => IsCamera(r.Packet, 0)) > 40, "pushed camera video at the viewer", 20);
        await bridge.WaitForAsync(() => bridge.FeedReports.Any(r => r.FeedId == feed.FeedId && r.Report is { Status: FeedStatus.Online, Width: 320 }), "the pushed feed online at 320x240");
        var received = viewer.Video.Select(r => r.Packet).Where(p => IsCamera(p, 0)).ToList();
        Assert.True(IsKeyframeStart(received[0]));
        await AssertDecodesAsync(received, minimumPictures: 5);
    }

    /// <summary>
    /// With nothing cached (here the cache holds nothing; a camera whose group outgrows the cache is the
    /// same), the receiver keeps the old camera until the new one's next keyframe: its numbering must run
    /// on unbroken across that wait and the switch, or the receiver drops the new camera as lost or late.
    /// </summary>
    [Fact]
    public async Task A_switch_between_cameras_that_waits_for_the_next_keyframe_keeps_the_receivers_numbering_unbroken()
    {
        var (portA, portB) = (FreeUdpPort(), FreeUdpPort());
        await using var bridge = LoopbackConference.Start(feeds: Options with { CachePackets = 0 });
        await using var viewer = Phone(bridge, 1);
        Assert.Equal(200, (await viewer.RegisterAsync()).StatusCode);
        var a = new PlanFeed($"a-{Guid.NewGuid():N}", $"rtp://127.0.0.1:{portA}", null, null);
        var b = new PlanFeed($"b-{Guid.NewGuid():N}", $"rtp://127.0.0.1:{portB}", null, null);
        var session = $"two-{Guid.NewGuid():N}";
        ConferencePlan Viewing(PlanFeed feed, long version) =>
            new(session, true, [new PlanLeg("v1", false, null) { VideoSourceFeedId = feed.FeedId }], version) { Feeds = [a, b] };
        bridge.Planner.Apply(Viewing(a, 1));
        await bridge.WaitForAsync(() => viewer.InCall, "the viewer in the call");
        using var cameraA = Push(portA, "320x240");
        using var cameraB = Push(portB, "352x288");
        await bridge.WaitForAsync(() => viewer.Video.Count(r => IsCamera(r.Packet, 0)) > 30, "camera A at the viewer", 20);
        await bridge.WaitForAsync(() => bridge.Feeds!.CameraOf(b.FeedId)?.Packets > 30, "camera B flowing", 20);

        var before = viewer.Video.Count;
        bridge.Planner.Apply(Viewing(b, 2));
        await bridge.WaitForAsync(() => viewer.Video.Skip(before).Any(r => IsKeyframeStart(r.Packet) && SpsWidth(r.Packet) == 352), "camera B's keyframe at the viewer", 20);
        await Task.Delay(500, TestContext.Current.CancellationToken);

        var sequences = viewer.Video.Where(r => IsCamera(r.Packet, 0)).Select(r => RtpHeader.TryRead(r.Packet, out var h) ? h.SequenceNumber : 0).ToList();
        var jumps = sequences.Zip(sequences.Skip(1)).Where(p => (ushort)(p.Second - p.First) != 1).Select(p => $"{p.First}→{p.Second}").ToList();
        Assert.True(jumps.Count == 0, $"sequence jumps at the viewer: {string.Join(", ", jumps)}");
        var fromB = viewer.Video.Skip(before).Select(r => r.Packet).SkipWhile(p => !(IsKeyframeStart(p) && SpsWidth(p) == 352)).ToList();
        await AssertDecodesAsync(fromB, minimumPictures: 5);
    }

    [Fact]
    public async Task A_camera_server_killed_and_started_again_is_reported_offline_then_online_and_its_picture_returns()
    {
        var port = FreeTcpPort();
        var camera = Camera(port);
        await using var bridge = LoopbackConference.Start(feeds: Options);
        await using var viewer = Phone(bridge, 1);
        Assert.Equal(200, (await viewer.RegisterAsync()).StatusCode);
        var feed = new PlanFeed($"f-{Guid.NewGuid():N}", $"rtsp://127.0.0.1:{port}/cam", null, null);
        bridge.Planner.Apply(Plan($"restart-{Guid.NewGuid():N}", 1, feed, viewerSource: feed.FeedId, speaker: false));
        try
        {
            await bridge.WaitForAsync(() => viewer.Video.Any(r => IsCamera(r.Packet, 0)), "camera video at the viewer", 20);
            camera.Dispose();
            var killed = DateTime.UtcNow;
            await bridge.WaitForAsync(() => bridge.FeedReports.Any(r => r.At > killed && r.FeedId == feed.FeedId && r.Report.Status == FeedStatus.Offline), "the feed reported offline", 15);

            camera = Camera(port);
            var restarted = DateTime.UtcNow;
            var before = viewer.Video.Count;
            await bridge.WaitForAsync(() => bridge.FeedReports.Any(r => r.At > restarted && r.FeedId == feed.FeedId && r.Report.Status == FeedStatus.Online), "the feed online again by itself", 20);
            await bridge.WaitForAsync(() => viewer.Video.Skip(before).Count(r => IsCamera(r.Packet, 0)) > 20, "the picture back at the viewer", 20);
            var statuses = bridge.FeedReports.Where(r => r.FeedId == feed.FeedId && r.At > killed).Select(r => r.Report.Status).Distinct().ToList();
            TestContext.Current.TestOutputHelper?.WriteLine($"Statuses after the kill: {string.Join(" → ", statuses)}");
            var after = viewer.Video.Skip(before).Select(r => r.Packet).Where(p => IsCamera(p, 0)).ToList();
            Assert.True(IsKeyframeStart(after[0]), "after the camera came back the receiver starts again at a keyframe");
            await AssertDecodesAsync(after, minimumPictures: 3);
        }
        finally
        {
            camera.Dispose();
        }
    }

    private static ScriptedPhone Phone(LoopbackConference bridge, int venue) =>
        new($"210{venue}", LoopbackConference.PasswordFor($"210{venue}"), (byte)venue, bridge.SipEndPoint, LoopbackConference.Domain) { AnswerVideo = "H264" };

    private static ConferencePlan Plan(string session, long version, PlanFeed feed, string? viewerSource, bool speaker = true) =>
        new(session, true, speaker
            ? [new PlanLeg("v1", false, viewerSource is null ? "v2" : null) { VideoSourceFeedId = viewerSource }, new PlanLeg("v2", false, null)]
            : [new PlanLeg("v1", false, null) { VideoSourceFeedId = viewerSource }], version)
        { Feeds = [feed] };

    /// <summary>The scripted phone's own pictures: a single slice NAL of four bytes carrying its tag.</summary>
    private static bool IsPhoneVideo(byte[] packet, byte tag) =>
        RtpHeader.TryRead(packet, out var h) && h.PayloadLength == 4 && packet[h.HeaderLength] is 0x65 or 0x41 && packet[h.HeaderLength + 2] == tag;

    private static bool IsCamera(byte[] packet, byte phoneTag) => RtpHeader.TryRead(packet, out var h) && h.PayloadLength > 0 && !IsPhoneVideo(packet, phoneTag);

    private static bool IsKeyframeStart(byte[] packet) =>
        RtpHeader.TryRead(packet, out var h) && Keyframes.IsKeyframeStart(VideoCodec.H264, RtpHeader.Payload(packet, h));

    /// <summary>The packets depacketize from a keyframe with nothing lost, and ffmpeg decodes them without an error.</summary>
    private static async Task AssertDecodesAsync(List<byte[]> packets, int minimumPictures)
    {
        var depacketizer = new H264Depacketizer();
        var units = packets.SelectMany(p => depacketizer.Push(p)).ToList();
        Assert.True(units.Count >= minimumPictures, $"{units.Count} pictures");
        Assert.True(units[0].Keyframe);
        Assert.Equal(0, depacketizer.Lost);
        Assert.Equal(0, depacketizer.Dropped);

        var file = Path.Combine(Path.GetTempPath(), $"camera-{Guid.NewGuid():N}.h264");
        await File.WriteAllBytesAsync(file, units.SelectMany(u => u.AnnexB()).ToArray(), TestContext.Current.CancellationToken);
        try
        {
            using var ffmpeg = Process.Start(new ProcessStartInfo("/usr/bin/ffmpeg", ["-hide_banner", "-v", "error", "-f", "h264", "-i", file, "-f", "null", "-"]) { RedirectStandardError = true })!;
            var errors = await ffmpeg.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await ffmpeg.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(ffmpeg.ExitCode == 0 && errors.Trim().Length == 0, errors);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static ProcessHandle Push(int port, string size) =>
        Run("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", $"testsrc=size={size}:rate=15",
            "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-g", "30", "-f", "rtp", $"rtp://127.0.0.1:{port}");

    /// <summary>The picture width of the SPS a packet starts with (alone, or first in a STAP-A), or 0 when it starts with none.</summary>
    private static int SpsWidth(byte[] packet)
    {
        if (!RtpHeader.TryRead(packet, out var h) || h.PayloadLength < 4)
        {
            return 0;
        }

        var payload = RtpHeader.Payload(packet, h);
        var nal = (payload[0] & 0x1F) == 24 ? payload[3..] : payload;
        return SpsParser.TryParse(nal, out var sps) ? sps.Width : 0;
    }

    private static ProcessHandle Camera(int port) =>
        Run("/usr/bin/python3", Path.Combine(AppContext.BaseDirectory, "Rtsp", "rtsp_camera.py"), port.ToString(CultureInfo.InvariantCulture), "15", "60");

    private static ProcessHandle Run(string file, params string[] arguments) =>
        new(Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true })!);

    private static int FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
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
