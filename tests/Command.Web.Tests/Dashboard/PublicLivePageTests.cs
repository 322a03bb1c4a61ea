using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Command.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Command.Web.Tests.Dashboard;

/// <summary>The public page (/live.html) in Debian's Chromium, without signing in: it lists an approved broadcast and plays it with hls.js, and ffprobe reads the same playlist.</summary>
public sealed class PublicLivePageTests(BrowserNodeFactory node) : BrowserTest(node, switches: "--autoplay-policy=no-user-gesture-required")
{
    [Fact]
    public async Task An_anonymous_visitor_sees_the_approved_broadcast_and_its_video_plays()
    {
        var ct = TestContext.Current.CancellationToken;
        var title = "公开直播-" + Guid.NewGuid().ToString("N")[..6];
        using var created = await Admin.PostAsJsonAsync("/api/sessions", new { title, kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-nanhai" }, @public = true }, ct);
        var session = await created.ReadAsync(HttpStatusCode.Created);
        var id = (string)session["id"]!;
        try
        {
            await WriteHlsAsync((string)session["recordingId"]!, ct);
            await Admin.PostJsonAsync($"/api/sessions/{id}/publish", new { approved = true });
            var probed = await RunAsync(Node.DataDirectory, ct, "ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", Node.Url + $"/api/public/broadcasts/{id}/hls/index.m3u8");
            Assert.Contains("h264", probed, StringComparison.Ordinal);

            var page = await Browser.NewPageAsync();
            var errors = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    errors.Add(message.Text);
                }
            };
            await page.GotoAsync(Node.Url + "/live.html");
            var entry = page.Locator($"#live-list button[data-session-id='{id}']");
            await Assertions.Expect(entry).ToContainTextAsync(title);
            Assert.Equal(new Uri(Node.Url + "/live.html"), new Uri(page.Url));

            await entry.ClickAsync();
            await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime > 1", null, new() { Timeout = 20000 });
            Assert.DoesNotContain(errors, e => e.Contains("Content Security Policy", StringComparison.Ordinal));

            // The chapters name who went on screen, not who acted; choosing one seeks the recording.
            var chapter = page.Locator("#chapters button[data-offset='0']");
            await Assertions.Expect(chapter).ToContainTextAsync("佛山市应急指挥中心（主会场） · 会议开始");
            using var anonymous = new HttpClient { BaseAddress = new Uri(Node.Url) };
            var listed = (await anonymous.GetJsonAsync("/api/public/broadcasts")).AsArray().Single(b => (string?)b!["sessionId"] == id)!;
            Assert.DoesNotContain("actor", listed["chapters"]![0]!.AsObject().Select(p => p.Key));
            await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime > 2", null, new() { Timeout = 20000 });
            await chapter.ClickAsync();
            await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime < 1.5", null, new() { Timeout = 10000 });

            await page.ClickAsync("#lang");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Live broadcasts");
            await Assertions.Expect(chapter).ToContainTextAsync("Session started");
        }
        finally
        {
            await Admin.PostAsync($"/api/sessions/{id}/end", null, ct);
        }
    }

    /// <summary>A real six-second H.264 HLS part where the bridge would write the recording.</summary>
    private async Task WriteHlsAsync(string recordingId, CancellationToken ct)
    {
        var part = Directory.CreateDirectory(Path.Combine(Node.DataDirectory, "recordings", recordingId, "part-1")).FullName;
        await RunAsync(
            part, ct, "ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "6",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25",
            "-f", "hls", "-hls_time", "1", "-hls_list_size", "0", "-hls_segment_filename", "seg-%05d.ts", "index.m3u8");
    }

    /// <summary>Runs a program to its end and returns what it printed; a failure fails the test with its errors.</summary>
    private static async Task<string> RunAsync(string folder, CancellationToken ct, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.True(process.ExitCode == 0, string.Create(CultureInfo.InvariantCulture, $"{program} exited {process.ExitCode}: {stderr}"));
        return await stdout;
    }
}
