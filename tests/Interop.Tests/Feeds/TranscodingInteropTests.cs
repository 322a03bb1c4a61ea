using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Chaos;
using Interop.Tests.Infrastructure;
using Interop.Tests.Sip;
using MediaBridge.Rtp;
using MediaBridge.Sdp;
using MediaBridge.Tests.Conference;

namespace Interop.Tests.Feeds;

/// <summary>
/// The whole node with a VP8-only softphone (baresip with vp8.so and no H.264) as the chair of a session
/// whose video it fixed to VP8, and a scripted VP8 venue: an H.264 camera pushed by ffmpeg and broadcast
/// reaches both as VP8, which baresip decodes at the camera's size (its own picture is another size).
/// An H.265 RTSP camera is shown by the API as transcoded, and its ffmpeg dies with a node killed -9.
/// </summary>
public sealed class TranscodingInteropTests() : WorkFolderTest("command-transcode-")
{
    /// <summary>A transcode starts an ffmpeg first: the waits allow it longer than the usual 30 s.</summary>
    private const double Within = 40;

    [Fact]
    public async Task An_H264_camera_broadcast_in_a_VP8_session_is_decoded_by_a_VP8_only_softphone()
    {
        await using var started = await BridgeNode.StartAsync(Work);
        var (node, sipPort) = (started.Node, started.SipPort);
        using var chancheng = Baresip.StartVenue(sipPort, "2101", toneHz: 500, videoSize: "176x144");
        await using var sanshui = new ScriptedPhone("2104", "fs-2104-Sample!", 4, new IPEndPoint(IPAddress.Loopback, sipPort));
        Assert.Equal(200, (await sanshui.RegisterAsync()).StatusCode);
        await NodeApi.VenuesOnlineAsync(node, () => chancheng.Output, "fs-chancheng", "fs-sanshui");

        var created = await node.Http.PostJsonAsync("/api/sessions",
            new { title = "视频转码", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-sanshui" }, autoBackup = new { enabled = false } }, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        await Waiting.UntilAsync(async () => (await node.Http.GetJsonAsync($"/api/sessions/{id}"))["venues"]!.AsArray().All(v => (string?)v!["media"]?["state"] == "connected"),
            "both legs connected", () => chancheng.Output, Within);

        var port = UdpPorts.Free();
        using var camera = await Camera.FfmpegAsync($"rtp://127.0.0.1:{port}", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15",
            "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-g", "15", "-f", "rtp", $"rtp://127.0.0.1:{port}?pkt_size=1200");
        var feed = await node.Http.PostJsonAsync("/api/feeds",
            new { name = "三防办 堤防", url = camera.Url, owner = "三防办", regionCode = "440600" }, HttpStatusCode.Created);
        var feedId = (string)feed["id"]!;
        await node.Http.PostJsonAsync($"/api/sessions/{id}/feeds", new { feedId });
        var broadcastAt = sanshui.Video.Count;
        await node.Http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { feedId });

        await Waiting.UntilAsync(() => Task.FromResult(CameraKeyframes(sanshui, broadcastAt) >= 2), "the camera's VP8 keyframes at the scripted venue", () => chancheng.Output, Within);
        await Waiting.UntilAsync(() => Task.FromResult(chancheng.Output.Contains("video: receiving with resolution 320 x 240", StringComparison.Ordinal)),
            "baresip decoding the camera's 320x240 picture", () => chancheng.Output, Within);
        var view = await node.Http.GetJsonAsync($"/api/feeds/{feedId}");
        TestContext.Current.TestOutputHelper?.WriteLine($"Feed: {view.ToJsonString()}");
        Assert.Equal("online", (string?)view["status"]);
        Assert.StartsWith("H264", (string?)view["codec"], StringComparison.Ordinal);
        Assert.Null((string?)view["transcodedFrom"]);
    }

    [Fact]
    public async Task An_H265_camera_is_shown_as_transcoded_and_its_ffmpeg_dies_with_a_node_killed_hard()
    {
        var port = Ports.Free();
        using var camera = Process.Start(new ProcessStartInfo("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Feeds", "rtsp_camera_h265.py"), port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            await using var started = await BridgeNode.StartAsync(Work);
            var node = started.Node;
            var feed = await node.Http.PostJsonAsync("/api/feeds",
                new { name = "公安 H.265", url = $"rtsp://127.0.0.1:{port}/cam", owner = "公安局", regionCode = "440600", username = "viewer", password = "h265-secret" }, HttpStatusCode.Created);
            var feedId = (string)feed["id"]!;
            var created = await node.Http.PostJsonAsync("/api/sessions",
                new { title = "H.265 摄像头", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-sanshui" }, autoBackup = new { enabled = false } }, HttpStatusCode.Created);
            await node.Http.PostJsonAsync($"/api/sessions/{(string)created["id"]!}/feeds", new { feedId });

            JsonNode view = new JsonObject();
            await Waiting.UntilAsync(async () => (string?)(view = await node.Http.GetJsonAsync($"/api/feeds/{feedId}"))["transcodedFrom"] == "H265" && (string?)view["status"] == "online",
                "the feed online, transcoded from H.265", () => "", Within);
            TestContext.Current.TestOutputHelper?.WriteLine($"Feed: {view.ToJsonString()}");
            Assert.StartsWith("H264", (string?)view["codec"], StringComparison.Ordinal);
            Assert.Equal(320, (int?)view["width"]);

            var (ffmpeg, bridge, commandLine) = Assert.Single(Transcodes(Work.FullName));
            Assert.DoesNotContain("h265-secret", commandLine);
            Assert.DoesNotContain("rtsp://", commandLine);

            // Only the node's own process is killed, not its tree: its ffmpeg must end because the node is gone.
            using (var kill = Process.Start("/bin/kill", ["-KILL", bridge.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            }

            await Waiting.UntilAsync(() => Task.FromResult(!Directory.Exists($"/proc/{ffmpeg}") || File.ReadAllText($"/proc/{ffmpeg}/stat").Contains(") Z ", StringComparison.Ordinal)),
                "the transcode's ffmpeg gone with the node", () => "", Within);
        }
        finally
        {
            camera.Kill(entireProcessTree: true);
            await camera.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    /// <summary>VP8 keyframes of the camera's size (RFC 6386 §9.1: width and height after the start code) that reached the venue after <paramref name="from"/>.</summary>
    private static int CameraKeyframes(ScriptedPhone phone, int from) =>
        phone.Video.Skip(from).Select(r => r.Packet).Count(packet =>
        {
            if (!RtpHeader.TryRead(packet, out var h))
            {
                return false;
            }

            var payload = RtpHeader.Payload(packet, h);
            if (!Keyframes.IsKeyframeStart(VideoCodec.Vp8, payload))
            {
                return false;
            }

            var start = payload.IndexOf([(byte)0x9D, (byte)0x01, (byte)0x2A]);
            return start > 0 && start + 7 <= payload.Length && (payload[start + 3] | ((payload[start + 4] & 0x3F) << 8)) == 320;
        });

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

    /// <summary>The ffmpeg transcodes (each under its lifeline shell) of the node running on <paramref name="folder"/>: (ffmpeg, node, ffmpeg's command line).</summary>
    private static List<(int Pid, int Parent, string CommandLine)> Transcodes(string folder)
    {
        var found = new List<(int, int, string)>();
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
                if (stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')] == "ffmpeg" && commandLine.Contains("application/sdp", StringComparison.Ordinal)
                    && ParentOf(parent) is var node && File.ReadAllText($"/proc/{node}/cmdline").Contains(folder, StringComparison.Ordinal))
                {
                    found.Add((pid, node, commandLine));
                }
            }
            catch (IOException)
            {
            }
        }

        return found;
    }
}
