using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Command.Contracts.Recordings;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Sip;
using Microsoft.Playwright;

namespace Interop.Tests.Recording;

/// <summary>
/// Recording on a whole node with real softphones (baresip, VP8 and a tone each): the emergency session's
/// HLS playlist appears and grows across broadcast switches, ffprobe plays it over HTTP with picture and
/// sound, and the ended recording lists its length and the broadcast venues as chapters; a node killed
/// with -9 leaves its segments playable and, restarted, records the still-live session in a new part;
/// a disk floor above the free space stops recording with an alarm while the node stays healthy; a session
/// approved public plays in Chromium on the public page without sign-in, live and then from the archive.
/// </summary>
public sealed class RecordingInteropTests : IDisposable
{
    private static readonly string[] Fast = ["--Command:Recording:SegmentSeconds=1", "--Command:Recording:CheckSeconds=1", "--Command:Recording:MinFreeMegabytes=1"];

    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-recording-");

    [Fact]
    public async Task An_emergency_is_recorded_as_hls_that_grows_across_broadcast_switches_plays_and_lists_its_chapters_once_ended()
    {
        await using var started = await BridgeNode.StartAsync(work, Fast);
        var node = started.Node;
        using var chancheng = Baresip.Start($"<sip:2101@127.0.0.1:{started.SipPort}>;auth_pass=fs-2101-Sample!;regint=600", toneHz: 500);
        using var nanhai = Baresip.Start($"<sip:2102@127.0.0.1:{started.SipPort}>;auth_pass=fs-2102-Sample!;regint=600", toneHz: 1100);
        await OnlineAsync(node, "fs-chancheng", "fs-nanhai");

        var created = await node.Http.PostJsonAsync("/api/sessions",
            new { title = "三防会商录像", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-nanhai" }, autoBackup = new { enabled = false } }, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var recordingId = (string)created["recordingId"]!;
        var hls = $"/api/recordings/{recordingId}/hls/index.m3u8";

        await Until(async () => (await SegmentsAsync(node, hls)).Count >= 3, "three segments in the playlist", 60, chancheng, nanhai);
        foreach (var venue in new[] { "fs-nanhai", "fs-chancheng" })
        {
            var before = (await SegmentsAsync(node, hls)).Count;
            await node.Http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = venue });
            await Until(async () => (await SegmentsAsync(node, hls)).Count >= before + 3, $"the playlist growing after {venue} was broadcast", 40, chancheng, nanhai);
        }

        var segments = await SegmentsAsync(node, hls);
        Assert.All(segments, s => Assert.StartsWith("part-1/", s.Uri));
        Assert.True(segments.Count >= 9, $"{segments.Count} segments");
        var streams = await RunAsync("/usr/bin/ffprobe", "-v", "error", "-headers", $"Authorization: {node.Http.DefaultRequestHeaders.Authorization}\r\n",
            "-show_entries", "stream=codec_type,codec_name", "-of", "csv=p=0", $"{node.Http.BaseAddress!.ToString().TrimEnd('/')}{hls}");
        Assert.Contains("h264,video", streams);
        Assert.Contains("aac,audio", streams);
        var segment = Path.Combine(work.FullName, "segment.ts");
        await File.WriteAllBytesAsync(segment, await node.Http.GetByteArrayAsync($"/api/recordings/{recordingId}/hls/{segments[^2].Uri}", TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        var decoded = await RunAsync("/usr/bin/ffmpeg", "-hide_banner", "-v", "error", "-i", segment, "-f", "null", "-");
        Assert.True(decoded.Trim().Length == 0, decoded);

        await node.Http.PostJsonAsync($"/api/sessions/{id}/end", null);
        JsonNode? recording = null;
        await Until(async () => (recording = Assert.Single((await node.Http.GetJsonAsync($"/api/sessions/{id}/recordings")).AsArray())) is { } r
            && (string?)r["status"] == "ended" && (double)r["durationSeconds"]! >= segments.Sum(s => s.Seconds) - 0.5, "the ended recording's full length", 30, chancheng, nanhai);
        TestContext.Current.TestOutputHelper?.WriteLine(recording?.ToJsonString() ?? "");
        Assert.True((double)recording!["durationSeconds"]! > 5);
        Assert.NotNull((string?)recording["endedAt"]);
        Assert.False((bool)recording["public"]!);
        var chapters = recording["chapters"]!.AsArray();
        Assert.Equal(["fs-chancheng", "fs-nanhai", "fs-chancheng"], chapters.Select(c => (string?)c!["venueId"]));
        Assert.Equal(["started", "broadcast", "broadcast"], chapters.Select(c => (string?)c!["action"]));
        Assert.True(chapters.Select(c => (double)c!["offsetSeconds"]!).Zip(chapters.Skip(1).Select(c => (double)c!["offsetSeconds"]!)).All(p => p.First < p.Second));
        await Until(async () => (await node.Http.GetStringAsync(hls, TestContext.Current.CancellationToken)).Contains("#EXT-X-ENDLIST"), "a closed playlist", 10, chancheng, nanhai);
    }

    [Fact]
    public async Task A_node_killed_mid_recording_leaves_playable_segments_and_restarted_records_the_live_session_in_a_new_part()
    {
        var started = await BridgeNode.StartAsync(work, Fast);
        using var chancheng = Baresip.Start($"<sip:2101@127.0.0.1:{started.SipPort}>;auth_pass=fs-2101-Sample!;regint=600", toneHz: 500);
        string id, recordingId;
        try
        {
            await OnlineAsync(started.Node, "fs-chancheng");
            var created = await started.Node.Http.PostJsonAsync("/api/sessions",
                new { title = "kill", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = Array.Empty<string>(), autoBackup = new { enabled = false } }, HttpStatusCode.Created);
            (id, recordingId) = ((string)created["id"]!, (string)created["recordingId"]!);
            await Until(async () => (await SegmentsAsync(started.Node, $"/api/recordings/{recordingId}/hls/index.m3u8")).Count >= 3, "segments before the kill", 60, chancheng);
            started.Node.KillHard();
        }
        finally
        {
            await started.DisposeAsync();
        }

        var part1 = Path.Combine(work.FullName, "data", "recordings", recordingId, "part-1");
        var left = HlsPlaylist.Segments(await File.ReadAllTextAsync(Path.Combine(part1, "index.m3u8"), TestContext.Current.CancellationToken));
        Assert.True(left.Count >= 3);
        foreach (var (_, uri) in left)
        {
            var decoded = await RunAsync("/usr/bin/ffmpeg", "-hide_banner", "-v", "error", "-i", Path.Combine(part1, uri), "-f", "null", "-");
            Assert.True(decoded.Trim().Length == 0, $"{uri}: {decoded}");
        }

        await using var restarted = await BridgeNode.StartAsync(work, Fast);
        var hls = $"/api/recordings/{recordingId}/hls/index.m3u8";
        await Until(async () => (await SegmentsAsync(restarted.Node, hls)).Count(s => s.Uri.StartsWith("part-2/", StringComparison.Ordinal)) >= 2, "a second part after the restart", 90, chancheng);
        var playlist = await restarted.Node.Http.GetStringAsync(hls, TestContext.Current.CancellationToken);
        Assert.Contains("#EXT-X-DISCONTINUITY", playlist);
        Assert.Equal("live", (string?)(await restarted.Node.Http.GetJsonAsync($"/api/sessions/{id}"))["state"]);
        Assert.Equal(2, (int)(await restarted.Node.Http.GetJsonAsync($"/api/recordings/{recordingId}"))["parts"]!);
    }

    [Fact]
    public async Task A_disk_floor_above_the_free_space_stops_recording_with_an_alarm_while_the_node_stays_healthy()
    {
        await using var started = await BridgeNode.StartAsync(work, "--Command:Recording:MinFreeMegabytes=10000000", "--Command:Recording:CheckSeconds=1");
        var node = started.Node;
        using var chancheng = Baresip.Start($"<sip:2101@127.0.0.1:{started.SipPort}>;auth_pass=fs-2101-Sample!;regint=600", toneHz: 500);
        await OnlineAsync(node, "fs-chancheng");
        var created = await node.Http.PostJsonAsync("/api/sessions",
            new { title = "floor", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = Array.Empty<string>(), autoBackup = new { enabled = false } }, HttpStatusCode.Created);
        var (id, recordingId) = ((string)created["id"]!, (string)created["recordingId"]!);

        JsonNode? health = null;
        await Until(async () => (health = await node.Http.GetJsonAsync("/health"))["checks"]!["recording"]!["status"]!.ToString() == "degraded", "the alarm in /health", 30, chancheng);
        Assert.Contains("below the floor of 10000000 MB", (string?)health!["checks"]!["recording"]!["description"]);
        Assert.Equal("healthy", (string?)health["checks"]!["bridge"]!["status"]);
        await Until(async () => (string?)(await node.Http.GetJsonAsync($"/api/recordings/{recordingId}"))["status"] == "paused", "the recording paused", 30, chancheng);
        var recording = await node.Http.GetJsonAsync($"/api/recordings/{recordingId}");
        Assert.Contains("below the floor", (string?)recording["alarm"]);
        Assert.Contains((await node.Http.GetJsonAsync($"/api/sessions/{id}/timeline")).AsArray(), e => (string?)e!["action"] == "recording-stopped");

        await Task.Delay(3000, TestContext.Current.CancellationToken);
        Assert.Empty(await SegmentsAsync(node, $"/api/recordings/{recordingId}/hls/index.m3u8"));
        Assert.Equal("live", (string?)(await node.Http.GetJsonAsync($"/api/sessions/{id}"))["state"]);
        Assert.Equal("connected", (string?)(await node.Http.GetJsonAsync($"/api/sessions/{id}"))["venues"]![0]!["media"]?["state"]);
    }

    [Fact]
    public async Task A_public_broadcast_plays_live_on_the_public_page_without_sign_in_and_from_the_archive_once_ended_with_chapters_naming_its_venues()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var started = await BridgeNode.StartAsync(work, Fast);
        var node = started.Node;
        using var chancheng = Baresip.Start($"<sip:2101@127.0.0.1:{started.SipPort}>;auth_pass=fs-2101-Sample!;regint=600", toneHz: 500);
        using var nanhai = Baresip.Start($"<sip:2102@127.0.0.1:{started.SipPort}>;auth_pass=fs-2102-Sample!;regint=600", toneHz: 1100);
        await OnlineAsync(node, "fs-chancheng", "fs-nanhai");
        var names = new Dictionary<string, string>();
        foreach (var venue in new[] { "fs-chancheng", "fs-nanhai" })
        {
            names[venue] = (string)(await node.Http.GetJsonAsync($"/api/venues/{venue}"))["name"]!;
        }

        var created = await node.Http.PostJsonAsync("/api/sessions",
            new { title = "公开会商直播", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-nanhai" }, autoBackup = new { enabled = false }, @public = true }, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        await node.Http.PostJsonAsync($"/api/sessions/{id}/publish", new { approved = true });
        using var anonymous = new HttpClient { BaseAddress = node.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var hls = $"/api/public/broadcasts/{id}/hls/index.m3u8";
        await Until(async () => (await SegmentsAsync(anonymous, hls)).Count >= 3, "three segments in the public playlist", 60, chancheng, nanhai);
        var streams = await RunAsync("/usr/bin/ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name", "-of", "csv=p=0", $"{anonymous.BaseAddress!.ToString().TrimEnd('/')}{hls}");
        Assert.Contains("h264,video", streams);
        Assert.Contains("aac,audio", streams);

        using var playwright = await Playwright.CreateAsync();
        await using var chromium = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
        });
        var page = await (await chromium.NewContextAsync()).NewPageAsync();
        await page.GotoAsync($"{anonymous.BaseAddress!.ToString().TrimEnd('/')}/live.html");
        await page.Locator($"#live-list button[data-session-id='{id}']").ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime > 0", null, new() { Timeout = 30000 });
        var (time, frames, _) = await PlayedAsync(page);
        await page.WaitForFunctionAsync(
            $"() => {{ const v = document.getElementById('player'); return v.currentTime > {(time + 3).ToString(CultureInfo.InvariantCulture)} && v.getVideoPlaybackQuality().totalVideoFrames > {frames + 30}; }}",
            null, new() { Timeout = 30000 });
        Assert.True((await PlayedAsync(page)).Width > 0, "the live picture has a size");

        // A floor change while live: the broadcast switches to Nanhai, a chapter of its own.
        await node.Http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = "fs-nanhai" });
        var before = (await SegmentsAsync(anonymous, hls)).Count;
        await Until(async () => (await SegmentsAsync(anonymous, hls)).Count >= before + 4, "the public playlist growing after Nanhai was broadcast", 40, chancheng, nanhai);
        await node.Http.PostJsonAsync($"/api/sessions/{id}/end", null);
        await Until(async () => (string?)(await node.Http.GetJsonAsync($"/api/sessions/{id}/recordings")).AsArray().Single()!["status"] == "ended", "the recording ended", 30, chancheng, nanhai);
        await Until(async () => (await anonymous.GetStringAsync(hls, ct)).Contains("#EXT-X-ENDLIST"), "the public playlist closed", 20, chancheng, nanhai);

        await page.ReloadAsync();
        var archived = page.Locator($"#archive-list button[data-session-id='{id}']");
        await Assertions.Expect(archived).ToContainTextAsync("公开会商直播");
        await Assertions.Expect(page.Locator($"#live-list button[data-session-id='{id}']")).ToHaveCountAsync(0);
        await archived.ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime > 5", null, new() { Timeout = 40000 });
        Assert.True((await PlayedAsync(page)).Frames > 50, "frames decoded from the archive");

        var chapters = page.Locator("#chapters button");
        await Assertions.Expect(chapters).ToHaveCountAsync(2);
        await Assertions.Expect(chapters.Nth(0)).ToContainTextAsync(names["fs-chancheng"]);
        await Assertions.Expect(chapters.Nth(1)).ToContainTextAsync(names["fs-nanhai"]);
        var offset = double.Parse((await chapters.Nth(1).GetAttributeAsync("data-offset"))!, CultureInfo.InvariantCulture);
        Assert.True(offset > 2, $"Nanhai's chapter is {offset} s into the recording");
        await chapters.Nth(1).ClickAsync();
        await page.WaitForFunctionAsync(
            $"() => Math.abs(document.getElementById('player').currentTime - {offset.ToString(CultureInfo.InvariantCulture)}) < 1.5", null, new() { Timeout = 10000 });
    }

    /// <summary>Where the public page's video is, how many frames it decoded and how wide its picture is.</summary>
    private static async Task<(double Time, int Frames, int Width)> PlayedAsync(IPage page)
    {
        var played = await page.EvaluateAsync<double[]>("() => { const v = document.getElementById('player'); return [v.currentTime, v.getVideoPlaybackQuality().totalVideoFrames, v.videoWidth]; }");
        return (played[0], (int)played[1], (int)played[2]);
    }

    public void Dispose()
    {
        try
        {
            work.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task OnlineAsync(SiloProcess node, params string[] venues)
    {
        foreach (var venue in venues)
        {
            await Until(async () => (string?)(await node.Http.GetJsonAsync($"/api/venues/{venue}"))["status"] == "online", $"{venue} online", 30);
        }
    }

    private static async Task<IReadOnlyList<(double Seconds, string Uri)>> SegmentsAsync(SiloProcess node, string hls) => await SegmentsAsync(node.Http, hls);

    private static async Task<IReadOnlyList<(double Seconds, string Uri)>> SegmentsAsync(HttpClient http, string hls)
    {
        using var response = await http.GetAsync(hls, TestContext.Current.CancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return [];
        }

        Assert.Equal("application/vnd.apple.mpegurl", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return [.. text.Split('\n').Zip(text.Split('\n').Skip(1))
            .Where(p => p.First.StartsWith("#EXTINF:", StringComparison.Ordinal))
            .Select(p => (double.Parse(p.First[8..].TrimEnd(','), CultureInfo.InvariantCulture), p.Second.Trim()))];
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return await output + await errors;
    }

    private static async Task Until(Func<Task<bool>> condition, string what, int seconds, params Baresip[] phones)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.\n{string.Join("\n---\n", phones.Select(p => p.Output))}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
