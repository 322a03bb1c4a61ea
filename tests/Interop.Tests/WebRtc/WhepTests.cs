using System.Diagnostics;
using System.Net;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Chaos;
using Interop.Tests.Feeds;
using Interop.Tests.Infrastructure;
using Interop.Tests.Sip;
using Microsoft.Playwright;

namespace Interop.Tests.WebRtc;

/// <summary>
/// Debian's Chromium watches without joining a session (WHEP): a GStreamer RTSP camera, which it
/// must decode as H.264, and a scripted browser venue (aiortc) of a live session. Each watch shows
/// a decoded picture of the right size, never shows as a venue of the session, and DELETE ends it.
/// </summary>
public sealed class WhepTests() : ChromiumTest("command-whep-")
{
    private const string Watch = "window.watch";

    /// <summary>Creates a receive-only offer in the page, kept on window.watch with the peer connection.</summary>
    private const string OfferScript = """
        async () => {
          const pc = new RTCPeerConnection();
          pc.addTransceiver('video', { direction: 'recvonly' });
          pc.addTransceiver('audio', { direction: 'recvonly' });
          await pc.setLocalDescription(await pc.createOffer());
          window.watch = pc;
          return pc.localDescription.sdp;
        }
        """;

    [Fact]
    public async Task Chromium_watches_an_rtsp_camera_decoding_its_h264_and_delete_ends_the_watch()
    {
        var cancel = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        using var camera = await Camera.GstreamerAsync(fps: 25, keyint: 25, size: "320x240");
        await using var started = await BridgeNode.StartAsync(Work);
        var node = started.Node;
        var feed = await node.Http.PostJsonAsync("/api/feeds",
            new { name = "祖庙路口治安监控", url = camera.Url, owner = "佛山市公安局", regionCode = "440604" }, HttpStatusCode.Created);
        var feedId = (string)feed["id"]!;
        Assert.Equal(0, await NodeApi.WatchingAsync(node));

        var page = await OperatorPages.NewPageAsync(Browser, node);
        var clock = Stopwatch.StartNew();
        var location = await WatchAsync(node, page, $"/api/feeds/{feedId}/whep");
        Assert.Matches($"^/api/feeds/{feedId}/whep/[0-9a-f]{{24}}$", location);
        Assert.Equal(1, await NodeApi.WatchingAsync(node));

        var first = await InboundVideo.UntilAsync(page, Watch, s => s.Frames > 0, "Chromium's first decoded frame of the camera", () => camera.Output);
        output?.WriteLine($"offer posted to the camera's first decoded frame in Chromium: {clock.ElapsedMilliseconds} ms (the camera is pulled on the first watch)");
        var shown = await InboundVideo.UntilAsync(page, Watch, s => s.Frames > 25, "the camera's picture playing in Chromium", () => camera.Output);
        output?.WriteLine($"Chromium: {shown}");
        Assert.Equal(("video/H264", 320, 240), (shown.Codec, shown.Width, shown.Height));
        Assert.True(first.Frames > 0);
        await Waiting.UntilAsync(async () => (string?)(await node.Http.GetJsonAsync($"/api/feeds/{feedId}"))["status"] == "online", "the camera reported online", () => camera.Output);

        using var ended = await node.Http.DeleteAsync(location, cancel);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(0, await NodeApi.WatchingAsync(node));
        using var again = await node.Http.DeleteAsync(location, cancel);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);

        // A second watcher within the let-go delay finds the camera still pulled and starts from its cached pictures.
        var second = await OperatorPages.NewPageAsync(Browser, node);
        clock.Restart();
        var secondLocation = await WatchAsync(node, second, $"/api/feeds/{feedId}/whep");
        await InboundVideo.UntilAsync(second, Watch, s => s.Frames > 0, "a second watcher's first decoded frame", () => camera.Output);
        output?.WriteLine($"offer posted to first decoded frame while the camera is already pulled: {clock.ElapsedMilliseconds} ms");

        // A watcher that closes its page without DELETE: its DTLS closes, and the bridge and the registry forget the watch.
        await second.EvaluateAsync("() => window.watch.close()");
        await Waiting.UntilAsync(async () => await NodeApi.WatchingAsync(node) == 0, "the closed watch ended on the bridge", () => node.Output);
        using var secondEnded = await node.Http.DeleteAsync(secondLocation, cancel);
        Assert.Equal(HttpStatusCode.NotFound, secondEnded.StatusCode);
    }

    [Fact]
    public async Task Chromium_watches_what_a_browser_venue_sends_in_a_live_session_without_becoming_one_of_its_venues()
    {
        var cancel = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        await using var started = await BridgeNode.StartAsync(Work);
        var node = started.Node;
        var created = await node.Http.PostJsonAsync("/api/sessions",
            new { title = "画面监看", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-nanhai" }, autoBackup = new { enabled = false } }, HttpStatusCode.Created);
        var id = (string)created["id"]!;

        using var nanhai = AiortcVenue.Start(toneHz: 1100, listenHz: [1100], TimeSpan.FromSeconds(90));
        using (var joined = await NodeApi.PostOfferAsync(node, $"/api/sessions/{id}/venues/fs-nanhai/webrtc", await nanhai.OfferAsync(cancel)))
        {
            Assert.Equal(HttpStatusCode.Created, joined.StatusCode);
            await nanhai.AnswerAsync(await joined.Content.ReadAsStringAsync(cancel));
        }

        await Waiting.UntilAsync(async () => await NodeApi.LegStateAsync(node, id, "fs-nanhai") == "connected", "南海's browser leg connected", () => nanhai.Errors);

        var page = await OperatorPages.NewPageAsync(Browser, node);
        var clock = Stopwatch.StartNew();
        var location = await WatchAsync(node, page, $"/api/sessions/{id}/venues/fs-nanhai/whep");
        Assert.Matches($"^/api/sessions/{id}/venues/fs-nanhai/whep/[0-9a-f]{{24}}$", location);
        await InboundVideo.UntilAsync(page, Watch, s => s.Frames > 0, "Chromium's first decoded frame of 南海", () => nanhai.Errors);
        output?.WriteLine($"offer posted to 南海's first decoded frame in Chromium: {clock.ElapsedMilliseconds} ms");
        var shown = await InboundVideo.UntilAsync(page, Watch, s => s.Frames > 25, "南海's picture playing in Chromium", () => nanhai.Errors);
        output?.WriteLine($"Chromium: {shown}");
        Assert.Equal((320, 240), (shown.Width, shown.Height));
        Assert.Equal(1, await NodeApi.WatchingAsync(node));

        var session = await node.Http.GetJsonAsync($"/api/sessions/{id}");
        Assert.Equal(["fs-chancheng", "fs-nanhai"], session["venues"]!.AsArray().Select(v => (string)v!["venueId"]!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("watch:", session.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("watch:", (await node.Http.GetJsonAsync($"/api/sessions/{id}/timeline")).ToJsonString(), StringComparison.Ordinal);

        using var ended = await node.Http.DeleteAsync(location, cancel);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(0, await NodeApi.WatchingAsync(node));
        var frames = (await InboundVideo.ReadAsync(page, Watch)).Frames;
        await Task.Delay(1000, cancel);
        Assert.True((await InboundVideo.ReadAsync(page, Watch)).Frames - frames < 5, "no picture reaches the watcher once its watch has ended");
        Assert.Equal("connected", await NodeApi.LegStateAsync(node, id, "fs-nanhai"));
        using var again = await node.Http.DeleteAsync(location, cancel);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    /// <summary>The page offers, the test posts the offer as the signed-in operator, and the page takes the answer; returns the Location.</summary>
    private static async Task<string> WatchAsync(SiloProcess node, IPage page, string path)
    {
        var offer = await page.EvaluateAsync<string>(OfferScript);
        using var watched = await NodeApi.PostOfferAsync(node, path, offer);
        var answer = await watched.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(watched.StatusCode == HttpStatusCode.Created, $"{(int)watched.StatusCode}: {answer}");
        Assert.Contains("a=sendonly", answer, StringComparison.Ordinal);
        await page.EvaluateAsync("answer => window.watch.setRemoteDescription({ type: 'answer', sdp: answer })", answer);
        return watched.Headers.Location!.OriginalString;
    }
}
