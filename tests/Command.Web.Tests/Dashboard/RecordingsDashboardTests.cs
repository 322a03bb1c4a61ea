using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Command.Contracts.Recordings;
using Command.Grains.Tests.Infrastructure;
using Command.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Command.Web.Tests.Dashboard;

/// <summary>
/// A session's recordings and its publicity gate on the dashboard, in Chinese: an admin approves a session that asked to be public
/// (checked through the API), sees its recording listed, replays it in the dialog, where the video plays and a chapter seeks, then withdraws it.
/// </summary>
public sealed class RecordingsDashboardTests(BrowserNodeFactory node) : BrowserTest(node, inChina: true)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task An_admin_approves_a_public_request_and_replays_the_recording()
    {
        var ct = TestContext.Current.CancellationToken;
        var title = "录像回放-" + Guid.NewGuid().ToString("N")[..6];
        using var created = await Admin.PostAsJsonAsync("/api/sessions", new { title, kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-nanhai" }, @public = true }, ct);
        var session = await created.ReadAsync(HttpStatusCode.Created);
        var id = (string)session["id"]!;
        try
        {
            await WriteHlsAsync((string)session["recordingId"]!, ct);
            var page = await Browser.SignInAsync(TestUsers.Admin);
            var card = page.Locator($"#sessions [data-session='{id}']");

            await Assertions.Expect(card.Locator(".publicity .badge")).ToHaveTextAsync("待审批公开");
            await Assertions.Expect(card.Locator(".recordings li[data-recording]")).ToHaveCountAsync(1);
            await Assertions.Expect(card.Locator(".recordings li .badge")).ToHaveTextAsync("录制中");
            await card.Locator("[data-action=publish-approve]").ClickAsync();

            var approved = await Eventually.Until(
                async () => (string?)(await Admin.GetJsonAsync($"/api/sessions/{id}"))["publicity"],
                p => p == "approved",
                Wait);
            Assert.Equal("approved", approved);
            await Assertions.Expect(card.Locator(".publicity .badge")).ToHaveTextAsync("已公开");
            await Assertions.Expect(card.Locator("[data-action=publish-withdraw]")).ToHaveTextAsync("撤销公开");

            await card.Locator(".recordings [data-action=replay]").ClickAsync();
            await Assertions.Expect(page.Locator("dialog#replay")).ToBeVisibleAsync();
            await page.WaitForFunctionAsync("() => document.querySelector('#replay video').currentTime > 0", null, new() { Timeout = 20000 });
            var first = await page.EvaluateAsync<double>("() => document.querySelector('#replay video').currentTime");
            await page.WaitForFunctionAsync($"() => document.querySelector('#replay video').currentTime > {(first + 1).ToString(CultureInfo.InvariantCulture)}", null, new() { Timeout = 20000 });
            await WorkflowBrowser.ScreenshotAsync(page, "recordings");

            // The session's start is the first chapter, at offset 0: choosing it goes back to the beginning.
            var before = await page.EvaluateAsync<double>("() => document.querySelector('#replay video').currentTime");
            await page.Locator("#replay .chapters button[data-offset='0']").First.ClickAsync();
            await page.WaitForFunctionAsync($"() => document.querySelector('#replay video').currentTime < {(before - 0.5).ToString(CultureInfo.InvariantCulture)}", null, new() { Timeout = 10000 });

            await page.ClickAsync("#replay [data-action=close-replay]");
            await page.ClickAsync("#lang");
            await Assertions.Expect(card.Locator(".publicity .badge")).ToHaveTextAsync("Public");
            await Assertions.Expect(card.Locator(".recordings [data-action=replay]")).ToHaveTextAsync("Replay");
            await card.Locator("[data-action=publish-withdraw]").ClickAsync();
            await Eventually.Until(
                async () => (string?)(await Admin.GetJsonAsync($"/api/sessions/{id}"))["publicity"],
                p => p != "approved",
                Wait);
        }
        finally
        {
            await Admin.PostAsync($"/api/sessions/{id}/end", null, ct);
        }
    }

    [Fact]
    public async Task A_recording_paused_by_the_disk_floor_shows_its_alarm_as_a_warning_on_the_session_card_until_space_returns()
    {
        var ct = TestContext.Current.CancellationToken;
        using var created = await Admin.PostAsJsonAsync("/api/sessions", new { title = "磁盘告警-" + Guid.NewGuid().ToString("N")[..6], kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-nanhai" } }, ct);
        var session = await created.ReadAsync(HttpStatusCode.Created);
        var id = (string)session["id"]!;
        var recording = Node.Services.GetRequiredService<IGrainFactory>().GetGrain<IRecordingGrain>((string)session["recordingId"]!);
        const string Alarm = "recording stopped: 12 MB free on the recordings disk, below the floor of 1024 MB";
        try
        {
            var page = await Browser.SignInAsync(TestUsers.Admin);
            var card = page.Locator($"#sessions [data-session='{id}']");
            var item = card.Locator(".recordings li[data-recording]");
            await Assertions.Expect(item.Locator(".badge")).ToHaveTextAsync("录制中");
            await Assertions.Expect(item.Locator(".rec-alarm")).ToHaveCountAsync(0);

            await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.PartStarted, "part-1", 0, DateTimeOffset.UtcNow, "H264"));
            await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.LowDisk, "", 0, DateTimeOffset.UtcNow, Alarm));

            // Pushed by the hub as the recording changed: no reload.
            var warning = card.Locator(".recordings li[data-status='paused'] .rec-alarm[role='alert']");
            await Assertions.Expect(warning).ToBeVisibleAsync();
            await Assertions.Expect(warning).ToContainTextAsync("磁盘空间不足，录像已暂停");
            await Assertions.Expect(warning).ToContainTextAsync(Alarm);
            await Assertions.Expect(item.Locator(".badge")).ToHaveTextAsync("已暂停");
            var colours = await warning.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor + '|' + getComputedStyle(document.documentElement).getPropertyValue('--warn')");
            Assert.NotEqual("rgba(0, 0, 0, 0)", colours.Split('|')[0]);
            await WorkflowBrowser.ScreenshotAsync(page, "recording-low-disk");

            await page.ClickAsync("#lang");
            await Assertions.Expect(warning).ToContainTextAsync("Recording paused: the recordings disk is nearly full");
            await Assertions.Expect(item.Locator(".badge")).ToHaveTextAsync("Paused");

            await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.SpaceBack, "", 0, DateTimeOffset.UtcNow, null));
            await Assertions.Expect(item.Locator(".rec-alarm")).ToHaveCountAsync(0);
            await Assertions.Expect(item.Locator(".badge")).ToHaveTextAsync("Recording");
            await page.ClickAsync("#lang");
        }
        finally
        {
            await Admin.PostAsync($"/api/sessions/{id}/end", null, ct);
        }
    }

    [Fact]
    public async Task The_replay_of_a_recording_the_hub_pushed_fetches_its_chapters_which_the_push_leaves_out()
    {
        var ct = TestContext.Current.CancellationToken;
        using var created = await Admin.PostAsJsonAsync("/api/sessions", new { title = "章节回放-" + Guid.NewGuid().ToString("N")[..6], kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-nanhai" } }, ct);
        var session = await created.ReadAsync(HttpStatusCode.Created);
        var id = (string)session["id"]!;
        var recording = Node.Services.GetRequiredService<IGrainFactory>().GetGrain<IRecordingGrain>((string)session["recordingId"]!);
        try
        {
            await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.PartStarted, "part-1", 0, DateTimeOffset.UtcNow, "H264"));
            await Admin.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = "fs-nanhai" });
            Assert.Equal(2, (await recording.GetAsync())!.ChapterCount);
            var page = await Browser.SignInAsync(TestUsers.Admin);
            var item = page.Locator($"#sessions [data-session='{id}'] .recordings li[data-recording]");
            await Assertions.Expect(item.Locator(".badge")).ToHaveTextAsync("录制中");

            // The paused badge comes with a pushed copy of the recording, which has the chapters' count but no chapters;
            // the session does not change, so the page does not fetch its recordings again.
            await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.LowDisk, "", 0, DateTimeOffset.UtcNow, "recording stopped"));
            await Assertions.Expect(item.Locator(".badge")).ToHaveTextAsync("已暂停");

            await item.Locator("[data-action=replay]").ClickAsync();
            var chapters = page.Locator("#replay .chapters li");
            await Assertions.Expect(chapters).ToHaveCountAsync(2);
            await Assertions.Expect(chapters.First).ToContainTextAsync("会议开始");
            await Assertions.Expect(page.Locator("#replay .chapters button[data-offset='0']").First).ToBeVisibleAsync();
            await page.ClickAsync("#replay [data-action=close-replay]");
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
        var start = new ProcessStartInfo("ffmpeg") { WorkingDirectory = part, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "6",
                     "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25",
                     "-f", "hls", "-hls_time", "1", "-hls_list_size", "0", "-hls_segment_filename", "seg-%05d.ts", "index.m3u8",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.True(process.ExitCode == 0, "ffmpeg failed: " + stderr);
    }
}
