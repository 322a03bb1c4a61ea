using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Command.Contracts.Media;
using Command.Contracts.Recordings;
using MediaBridge.Legs.Feeds;
using MediaBridge.Legs.Recorders;
using MediaBridge.Tests.Conference;

namespace MediaBridge.Tests.Legs.Recorders;

/// <summary>
/// The recorder in a whole loopback bridge: a camera pushed by ffmpeg is the broadcast source, a scripted
/// phone sends a tone, and the recorder's own ffmpeg writes HLS that ffprobe must decode with both picture
/// and sound; a killed ffmpeg is followed by a new part, and the disk floor stops and resumes recording.
/// </summary>
public sealed class RecorderLegsTests : IDisposable
{
    private static readonly FeedOptions Feeds = new() { ReportEvery = TimeSpan.FromMilliseconds(500), Silence = TimeSpan.FromSeconds(2), LetGo = TimeSpan.FromSeconds(1) };

    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("recordings-");
    private readonly List<Process> cameras = [];

    [Fact]
    public async Task A_recorded_session_writes_a_growing_playlist_whose_segments_hold_the_camera_picture_and_the_full_mix()
    {
        await using var bridge = LoopbackConference.StartRecording(Feeds, Options(0));
        await using var phone = await PhoneAsync(bridge);
        var (session, recording, feed) = ($"rec-{Guid.NewGuid():N}", $"r-{Guid.NewGuid():N}"[..20], Camera());

        bridge.Planner.Apply(Plan(session, 1, feed, new PlanRecording(recording, true, null, feed.FeedId)));
        var (name, part) = await WritingAsync(bridge, session, recording, 3, 40);
        var before = Segments(part);
        await WaitForAsync(bridge, session, recording, () => Segments(part) >= before + 2, "the playlist growing", 20);
        Assert.Contains(bridge.RecordingReports, r => r.RecordingId == recording && r.Report.Kind == RecordingReportKind.PartStarted && r.Report.Part == name);
        await WaitForAsync(bridge, session, recording, () => bridge.RecordingReports.Any(r => r.RecordingId == recording && r.Report is { Kind: RecordingReportKind.Progress, PartSeconds: > 2 }), "progress reported");

        var segment = Path.Combine(part, "seg-00002.ts");
        var streams = await RunAsync("/usr/bin/ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name,width", "-of", "csv=p=0", segment);
        Assert.Contains("h264,video,320", streams);
        Assert.Contains("aac,audio", streams);
        var volume = await RunAsync("/usr/bin/ffmpeg", "-hide_banner", "-i", segment, "-map", "0:a", "-af", "volumedetect", "-f", "null", "-");
        var mean = double.Parse(volume.Split("mean_volume: ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.True(mean > -40, $"the phone's tone is in the recorder's mix: mean volume {mean} dB");

        bridge.Planner.Apply(Plan(session, 2, feed, null));
        await WaitForAsync(bridge, session, recording, () => File.ReadAllText(Path.Combine(part, "index.m3u8")).Contains("#EXT-X-ENDLIST"), "the playlist closed once recording stopped", 15);
        await WaitForAsync(bridge, session, recording, () => bridge.Recorders!.ActiveLegs == 0 && bridge.RecordingReports.Any(r => r.Report.Kind == RecordingReportKind.PartEnded), "the part ended");
    }

    [Fact]
    public async Task An_ffmpeg_that_dies_is_followed_by_a_new_part()
    {
        await using var bridge = LoopbackConference.StartRecording(Feeds, Options(0));
        await using var phone = await PhoneAsync(bridge);
        var (session, recording, feed) = ($"rec-{Guid.NewGuid():N}", $"r-{Guid.NewGuid():N}"[..20], Camera());
        bridge.Planner.Apply(Plan(session, 1, feed, new PlanRecording(recording, true, null, feed.FeedId)));
        var (killed, killedFolder) = await WritingAsync(bridge, session, recording, 2, 40);

        Process.GetProcessById(bridge.Recorders!.ProcessOf(session)!.Value).Kill();
        await WaitForAsync(bridge, session, recording, () => bridge.Recorders.PartOf(session) is { } p && HlsPlaylist.PartNumber(p) > HlsPlaylist.PartNumber(killed), "a new part", 20);
        var (next, _) = await WritingAsync(bridge, session, recording, 2, 40);
        Assert.True(HlsPlaylist.PartNumber(next) > HlsPlaylist.PartNumber(killed), $"{next} follows {killed}");
        Assert.True(Segments(killedFolder) >= 2, "the killed part's segments stay listed");
    }

    [Fact]
    public async Task Below_the_disk_floor_recording_stops_with_an_alarm_and_resumes_in_a_new_part_when_space_returns()
    {
        var free = 10L * 1024 * 1024 * 1024;
        await using var bridge = LoopbackConference.StartRecording(Feeds, Options(1024), _ => Interlocked.Read(ref free));
        await using var phone = await PhoneAsync(bridge);
        var (session, recording, feed) = ($"rec-{Guid.NewGuid():N}", $"r-{Guid.NewGuid():N}"[..20], Camera());
        bridge.Planner.Apply(Plan(session, 1, feed, new PlanRecording(recording, true, null, feed.FeedId)));
        var (stopped, _) = await WritingAsync(bridge, session, recording, 1, 40);

        Interlocked.Exchange(ref free, 100L * 1024 * 1024);
        await WaitForAsync(bridge, session, recording, () => bridge.DiskAlarms.LastOrDefault() is { } alarm && alarm.Contains("below the floor of 1024 MB"), "the alarm");
        await WaitForAsync(bridge, session, recording, () => bridge.Recorders!.ActiveLegs == 0 && bridge.Media.LegCount == 1, "the recorder out of the conference, the venue still in it");
        Assert.Contains(bridge.RecordingReports, r => r.RecordingId == recording && r.Report.Kind == RecordingReportKind.LowDisk);
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        Assert.Null(bridge.Recorders!.PartOf(session));

        Interlocked.Exchange(ref free, 10L * 1024 * 1024 * 1024);
        await WaitForAsync(bridge, session, recording, () => bridge.DiskAlarms.LastOrDefault() is null && bridge.Recorders.PartOf(session) is { } p && HlsPlaylist.PartNumber(p) > HlsPlaylist.PartNumber(stopped), "recording resumed in a new part", 20);
        Assert.Contains(bridge.RecordingReports, r => r.RecordingId == recording && r.Report.Kind == RecordingReportKind.SpaceBack);
    }

    public void Dispose()
    {
        foreach (var camera in cameras)
        {
            try
            {
                camera.Kill(entireProcessTree: true);
                camera.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            camera.Dispose();
        }

        root.Delete(recursive: true);
    }

    [Fact]
    public async Task A_recording_that_comes_while_the_disk_is_below_the_floor_is_told_so_and_writes_nothing()
    {
        await using var bridge = LoopbackConference.StartRecording(Feeds, Options(1024), _ => 10L * 1024 * 1024);
        await using var phone = await PhoneAsync(bridge);
        await bridge.WaitForAsync(() => bridge.DiskAlarms.LastOrDefault() is not null, "the alarm before any recording");
        var (session, recording, feed) = ($"rec-{Guid.NewGuid():N}", $"r-{Guid.NewGuid():N}"[..20], Camera());
        bridge.Planner.Apply(Plan(session, 1, feed, new PlanRecording(recording, true, null, feed.FeedId)));

        await WaitForAsync(bridge, session, recording, () => bridge.RecordingReports.Any(r => r.RecordingId == recording && r.Report.Kind == RecordingReportKind.LowDisk), "the recording told of the floor");
        await WaitForAsync(bridge, session, recording, () => phone.InCall, "the venue in the call");
        await Task.Delay(2500, TestContext.Current.CancellationToken);
        Assert.Null(bridge.Recorders!.PartOf(session));
        Assert.False(Directory.Exists(Path.Combine(root.FullName, recording)));
    }

    [Fact]
    public async Task An_ffmpeg_that_cannot_start_is_reported_and_tried_again_leaving_the_conference_as_it_was()
    {
        await using var bridge = LoopbackConference.StartRecording(Feeds, Options(0) with { Ffmpeg = "/nonexistent/ffmpeg" });
        await using var phone = await PhoneAsync(bridge);
        var (session, recording, feed) = ($"rec-{Guid.NewGuid():N}", $"r-{Guid.NewGuid():N}"[..20], Camera());
        bridge.Planner.Apply(Plan(session, 1, feed, new PlanRecording(recording, true, null, feed.FeedId)));

        await WaitForAsync(bridge, session, recording,
            () => bridge.RecordingReports.Count(r => r.RecordingId == recording && r.Report is { Kind: RecordingReportKind.PartEnded, Detail: { } d } && d.StartsWith("the recorder could not start", StringComparison.Ordinal)) >= 2,
            "two failed starts reported", 20);
        Assert.Null(bridge.Recorders!.PartOf(session));
        Assert.Equal(1, bridge.Media.LegCount);
        Assert.True(phone.InCall);
    }

    [Fact]
    public async Task Nothing_is_recorded_while_no_venue_is_reached()
    {
        await using var bridge = LoopbackConference.StartRecording(Feeds, Options(0) with { VideoWait = TimeSpan.Zero });
        var (session, recording, feed) = ($"rec-{Guid.NewGuid():N}", $"r-{Guid.NewGuid():N}"[..20], Camera());
        bridge.Planner.Apply(Plan(session, 1, feed, new PlanRecording(recording, true, null, feed.FeedId)));
        await WaitForAsync(bridge, session, recording, () => bridge.Feeds!.CameraOf(feed.FeedId)?.Cache.Count > 0, "the camera flowing", 20);
        await Task.Delay(1500, TestContext.Current.CancellationToken);

        Assert.Null(bridge.Recorders!.PartOf(session));
        Assert.False(Directory.Exists(Path.Combine(root.FullName, recording)));
    }

    /// <summary>Venue v1's terminal, sending an 800 Hz tone, registered so the plan's call reaches it.</summary>
    private static async Task<ScriptedPhone> PhoneAsync(LoopbackConference bridge)
    {
        var phone = new ScriptedPhone("2101", LoopbackConference.PasswordFor("2101"), 1, bridge.SipEndPoint, LoopbackConference.Domain, 800) { AnswerVideo = "H264" };
        Assert.Equal(200, (await phone.RegisterAsync()).StatusCode);
        return phone;
    }

    private RecorderOptions Options(long floorMegabytes) => new()
    {
        Root = root.FullName,
        MinFreeBytes = floorMegabytes * 1024 * 1024,
        SegmentSeconds = 1,
        CheckEvery = TimeSpan.FromMilliseconds(300),
        RestartFirst = TimeSpan.FromMilliseconds(300),
        VideoWait = TimeSpan.FromSeconds(2),
    };

    private static ConferencePlan Plan(string session, long version, PlanFeed feed, PlanRecording? recording) =>
        new(session, true, [new PlanLeg("v1", false, null) { VideoSourceFeedId = feed.FeedId }], version) { Feeds = [feed], Recording = recording };

    /// <summary>ffmpeg pushing an H.264 test picture with a keyframe every second to a feed's RTP port.</summary>
    private PlanFeed Camera()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        cameras.Add(Process.Start(new ProcessStartInfo("/usr/bin/ffmpeg", [
            "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15",
            "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-g", "15", "-f", "rtp", $"rtp://127.0.0.1:{port}"])
        { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true })!);
        return new PlanFeed($"f-{Guid.NewGuid():N}", $"rtp://127.0.0.1:{port}", null, null);
    }

    /// <summary>
    /// Waits for the part the recorder writes now to list <paramref name="segments"/> segments, and names it. Which
    /// part that is is not fixed: a part whose ffmpeg ends before writing anything is followed by the next one.
    /// </summary>
    private async Task<(string Name, string Folder)> WritingAsync(LoopbackConference bridge, string session, string recording, int segments, int seconds)
    {
        string? name = null;
        await WaitForAsync(bridge, session, recording, () => (name = bridge.Recorders!.PartOf(session)) is not null && Segments(Path.Combine(root.FullName, recording, name)) >= segments, $"{segments} segments in the part being written", seconds);
        return (name!, Path.Combine(root.FullName, recording, name!));
    }

    /// <summary>Waits as the bridge does, a failure naming the recording's reports, its parts and what the recorder's ffmpeg last said.</summary>
    private async Task WaitForAsync(LoopbackConference bridge, string session, string recording, Func<bool> condition, string what, int seconds = 10)
    {
        try
        {
            await bridge.WaitForAsync(condition, what, seconds);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            var folder = Path.Combine(root.FullName, recording);
            var parts = Directory.Exists(folder)
                ? Directory.EnumerateDirectories(folder).Order().Select(p => $"{Path.GetFileName(p)}: {Segments(p)} segments, files {string.Join(' ', Directory.EnumerateFiles(p).Select(Path.GetFileName))}")
                : ["no recording folder"];
            var reports = bridge.RecordingReports.Where(r => r.RecordingId == recording)
                .Select(r => $"{r.Report.At:HH:mm:ss.fff} {r.Report.Kind} {r.Report.Part} {r.Report.PartSeconds:0.##}s {r.Report.Detail}");
            var pid = bridge.Recorders?.ProcessOf(session)?.ToString(CultureInfo.InvariantCulture) ?? "none";
            Assert.Fail(string.Join(Environment.NewLine, [
                e.Message,
                $"recording reports: {string.Join("; ", reports)}",
                $"disk alarms: {string.Join("; ", bridge.DiskAlarms.Select(a => a ?? "(cleared)"))}",
                $"parts: {string.Join("; ", parts)}",
                $"the recorder's ffmpeg (running: {pid}) last said:",
                .. bridge.Recorders?.OutputOf(session) ?? []]));
        }
    }

    private static int Segments(string part)
    {
        try
        {
            var playlist = Path.Combine(part, "index.m3u8");
            return File.Exists(playlist) ? HlsPlaylist.Segments(File.ReadAllText(playlist)).Count : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return await output + await errors;
    }
}
