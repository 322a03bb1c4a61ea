using System.Net;
using System.Text.RegularExpressions;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Chaos;
using Interop.Tests.Feeds;
using Interop.Tests.Infrastructure;
using Interop.Tests.Sip;
using Microsoft.Playwright;

namespace Interop.Tests.WebRtc;

/// <summary>
/// The monitoring wall (画面监看) end to end in Debian's Chromium against a whole node: a GStreamer RTSP
/// camera (pulled), an ffmpeg camera pushing RTP, and two baresip venues of a live session (禅城 at
/// 320×240, 顺德 at 352×288) dragged into the four tiles of the wall. Each tile must decode its
/// source's picture at its size over WHEP, and the camera's broadcast button must make the camera
/// the session's broadcast.
/// </summary>
public sealed class MonitoringWallTests() : ChromiumTest("command-wall-")
{
    [Fact]
    public async Task Cameras_and_venues_dragged_onto_the_wall_play_at_their_own_size_and_a_camera_is_broadcast_from_its_tile()
    {
        var output = TestContext.Current.TestOutputHelper;
        using var rtspCamera = await Camera.GstreamerAsync(fps: 15, keyint: 30, size: "320x240");
        await using var started = await BridgeNode.StartAsync(Work);
        var (node, sipPort) = (started.Node, started.SipPort);
        var pulled = (string)(await node.Http.PostJsonAsync("/api/feeds",
            new { name = "桂城千灯湖东门治安监控", url = rtspCamera.Url, owner = "佛山市公安局", regionCode = "440605" }, HttpStatusCode.Created))["id"]!;
        var rtpPort = UdpPorts.Free();
        var pushed = (string)(await node.Http.PostJsonAsync("/api/feeds",
            new { name = "西江九江段水位监控（推流）", url = $"rtp://0.0.0.0:{rtpPort}", owner = "佛山市三防办", regionCode = "440605" }, HttpStatusCode.Created))["id"]!;
        using var rtpCamera = await Camera.FfmpegAsync($"rtp://127.0.0.1:{rtpPort}", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=480x270:rate=15",
            "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-g", "30", "-f", "rtp", $"rtp://127.0.0.1:{rtpPort}");

        var page = await SignInAsync(node);
        var tiles = page.Locator("#wall-tiles .tile");
        await Assertions.Expect(tiles).ToHaveCountAsync(4);
        await page.Locator($"#feed-list li[data-feed='{pulled}']").DragToAsync(tiles.Nth(0));
        await page.Locator($"#feed-list li[data-feed='{pushed}']").DragToAsync(tiles.Nth(1));

        await Assertions.Expect(tiles.Nth(0)).ToHaveAttributeAsync("data-width", "320", new() { Timeout = 30_000 });
        await Assertions.Expect(tiles.Nth(0)).ToHaveAttributeAsync("data-height", "240");
        await Assertions.Expect(tiles.Nth(1)).ToHaveAttributeAsync("data-width", "480", new() { Timeout = 30_000 });
        await Assertions.Expect(tiles.Nth(1)).ToHaveAttributeAsync("data-height", "270");

        // Softphones quit a minute after they start: they come last.
        using var chancheng = Baresip.StartVenue(sipPort, "2101", toneHz: 500);
        using var shunde = Baresip.StartVenue(sipPort, "2103", toneHz: 1100, videoSize: "352x288");
        string Phones() => chancheng.Output + shunde.Output;
        await NodeApi.VenuesOnlineAsync(node, Phones, "fs-chancheng", "fs-shunde");

        var id = (string)(await node.Http.PostJsonAsync("/api/sessions",
            new { title = "防汛视频会商", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-shunde" }, autoBackup = new { enabled = false } }, HttpStatusCode.Created))["id"]!;
        var card = page.Locator($"[data-session='{id}']");
        await Assertions.Expect(card).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        // The cameras above were dragged with the mouse; the venues are dropped by their drag events, which do not
        // depend on where the scrolled venue tree and the session cards happen to lie on the page.
        await DragAsync(page, page.Locator("#venue-tree li[data-venue='fs-chancheng']"), tiles.Nth(2));
        await DragAsync(page, card.Locator("tr[data-venue='fs-shunde']"), tiles.Nth(3));

        await Assertions.Expect(tiles.Nth(2)).ToHaveAttributeAsync("data-width", "320", new() { Timeout = 30_000 });
        await Assertions.Expect(tiles.Nth(3)).ToHaveAttributeAsync("data-width", "352", new() { Timeout = 30_000 });
        await Assertions.Expect(tiles.Nth(3)).ToHaveAttributeAsync("data-height", "288");
        for (var i = 0; i < 4; i++)
        {
            await Assertions.Expect(tiles.Nth(i)).ToHaveAttributeAsync("data-state", "playing");
            await Assertions.Expect(tiles.Nth(i)).ToHaveAttributeAsync("data-kbps", new Regex("^[1-9][0-9]*$"), new() { Timeout = 5000 });
        }

        var decoded = await page.EvaluateAsync<int>("() => document.querySelector(\".tile[data-tile='0'] video\").getVideoPlaybackQuality().totalVideoFrames");
        await Waiting.UntilAsync(async () => await page.EvaluateAsync<int>("() => document.querySelector(\".tile[data-tile='0'] video\").getVideoPlaybackQuality().totalVideoFrames") > decoded + 10,
            "the camera tile decoding on", Phones);
        output?.WriteLine(string.Join("; ", await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
            $"tile {i}: {await tiles.Nth(i).GetAttributeAsync("data-width")}×{await tiles.Nth(i).GetAttributeAsync("data-height")} {await tiles.Nth(i).GetAttributeAsync("data-kbps")} kbit/s, {await tiles.Nth(i).GetAttributeAsync("data-frames")} frames"))));

        await Assertions.Expect(page.Locator("#wall-session")).ToHaveValueAsync(id);
        await tiles.Nth(0).Locator("button[data-action='wall-broadcast']").ClickAsync();
        await Waiting.UntilAsync(async () => (string?)(await node.Http.GetJsonAsync($"/api/sessions/{id}"))["broadcastFeedId"] == pulled, "the camera broadcast in the session", Phones);
        await Assertions.Expect(tiles.Nth(0).Locator(".badge.flag-on-air")).ToHaveTextAsync("广播中", new() { Timeout = 5000 });

        var shots = Path.Combine(Repository.Root, "TestResults", "screenshots");
        Directory.CreateDirectory(shots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "monitoring-wall.png") });

        // Clearing a tile and leaving the page end their watches at once, well before the bridge would notice the silence.
        Assert.Equal(4, await NodeApi.WatchingAsync(node));
        var deletes = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Request += (_, r) =>
        {
            if (r.Method == "DELETE")
            {
                deletes.Enqueue(new Uri(r.Url).AbsolutePath);
            }
        };
        await tiles.Nth(1).Locator("button[data-action='wall-clear']").ClickAsync();
        await Waiting.UntilAsync(async () => await NodeApi.WatchingAsync(node) == 3, "the cleared tile's watch ended", Phones, 10);
        Assert.Contains(deletes, d => d.StartsWith($"/api/feeds/{pushed}/whep/", StringComparison.Ordinal));
        await page.Context.CloseAsync();
        await Waiting.UntilAsync(async () => await NodeApi.WatchingAsync(node) == 0, "the closed page's watches ended", Phones, 10);

        await node.Http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
    }

    /// <summary>The drag events a browser fires, sent to the elements themselves: the session card lies below the fold, under the wall.</summary>
    private static async Task DragAsync(IPage page, ILocator source, ILocator target)
    {
        var transfer = await page.EvaluateHandleAsync("() => new DataTransfer()");
        await source.DispatchEventAsync("dragstart", new { dataTransfer = transfer });
        await target.DispatchEventAsync("dragover", new { dataTransfer = transfer });
        await target.DispatchEventAsync("drop", new { dataTransfer = transfer });
    }

    private async Task<IPage> SignInAsync(SiloProcess node)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = $"http://127.0.0.1:{node.HttpPort}", ViewportSize = new() { Width = 1600, Height = 1000 } });
        // A tile whose source is not live yet asks again each second rather than each five.
        await context.AddInitScriptAsync("window.commandWallTiming = { notLiveRetryMs: 1000, feedRefreshMs: 1000 };");
        var page = await context.NewPageAsync();
        await OperatorPages.SignInAsync(page, node);
        await Assertions.Expect(page.Locator("#connection")).ToHaveClassAsync(new Regex("conn-live"), new() { Timeout = 10_000 });
        return page;
    }
}
