using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Sip;
using Microsoft.Playwright;

namespace Interop.Tests.WebRtc;

/// <summary>
/// Debian's Chromium watches without joining a session (WHEP): a GStreamer RTSP camera, which it
/// must decode as H.264, and a scripted browser venue (aiortc) of a live session. Each watch shows
/// a decoded picture of the right size, never shows as a venue of the session, and DELETE ends it.
/// </summary>
public sealed partial class WhepTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";

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

    private const string StatsScript = """
        async () => {
          const out = { frames: 0, width: 0, height: 0, codec: '', state: window.watch.connectionState };
          const stats = await window.watch.getStats();
          stats.forEach((r) => {
            if (r.type === 'inbound-rtp' && r.kind === 'video') {
              out.frames = r.framesDecoded ?? 0; out.width = r.frameWidth ?? 0; out.height = r.frameHeight ?? 0;
              const codec = r.codecId ? stats.get(r.codecId) : null;
              out.codec = codec ? codec.mimeType : '';
            }
          });
          return JSON.stringify(out);
        }
        """;

    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-whep-");
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async ValueTask InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), "chromium is not installed (apt-get install chromium)");
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        try
        {
            work.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Chromium_watches_an_rtsp_camera_decoding_its_h264_and_delete_ends_the_watch()
    {
        var cancel = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var port = FreeTcpPort();
        using var camera = await StartCameraAsync(port);
        await using var started = await BridgeNode.StartAsync(work);
        var node = started.Node;
        var feed = await node.Http.PostJsonAsync("/api/feeds",
            new { name = "祖庙路口治安监控", url = $"rtsp://127.0.0.1:{port}/cam", owner = "佛山市公安局", regionCode = "440604" }, HttpStatusCode.Created);
        var feedId = (string)feed["id"]!;
        Assert.Equal(0, await WatchingAsync(node));

        var page = await OpenPageAsync(node);
        var clock = Stopwatch.StartNew();
        var location = await WatchAsync(node, page, $"/api/feeds/{feedId}/whep");
        Assert.Matches($"^/api/feeds/{feedId}/whep/[0-9a-f]{{24}}$", location);
        Assert.Equal(1, await WatchingAsync(node));

        var first = await Until(page, s => s.Frames > 0, "Chromium's first decoded frame of the camera", camera);
        output?.WriteLine($"offer posted to the camera's first decoded frame in Chromium: {clock.ElapsedMilliseconds} ms (the camera is pulled on the first watch)");
        var shown = await Until(page, s => s.Frames > 25, "the camera's picture playing in Chromium", camera);
        output?.WriteLine($"Chromium: {shown}");
        Assert.Equal(("video/H264", 320, 240), (shown.Codec, shown.Width, shown.Height));
        Assert.True(first.Frames > 0);
        await Until(async () => (string?)(await node.Http.GetJsonAsync($"/api/feeds/{feedId}"))["status"] == "online", "the camera reported online");

        using var ended = await node.Http.DeleteAsync(location, cancel);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(0, await WatchingAsync(node));
        using var again = await node.Http.DeleteAsync(location, cancel);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);

        // A second watcher within the let-go delay finds the camera still pulled and starts from its cached pictures.
        var second = await OpenPageAsync(node);
        clock.Restart();
        var secondLocation = await WatchAsync(node, second, $"/api/feeds/{feedId}/whep");
        await Until(second, s => s.Frames > 0, "a second watcher's first decoded frame", camera);
        output?.WriteLine($"offer posted to first decoded frame while the camera is already pulled: {clock.ElapsedMilliseconds} ms");

        // A watcher that closes its page without DELETE: its DTLS closes, and the bridge and the registry forget the watch.
        await second.EvaluateAsync("() => window.watch.close()");
        await Until(async () => await WatchingAsync(node) == 0, "the closed watch ended on the bridge");
        using var secondEnded = await node.Http.DeleteAsync(secondLocation, cancel);
        Assert.Equal(HttpStatusCode.NotFound, secondEnded.StatusCode);
    }

    [Fact]
    public async Task Chromium_watches_what_a_browser_venue_sends_in_a_live_session_without_becoming_one_of_its_venues()
    {
        var cancel = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        await using var started = await BridgeNode.StartAsync(work);
        var node = started.Node;
        var created = await node.Http.PostJsonAsync("/api/sessions",
            new { title = "画面监看", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-nanhai" }, autoBackup = new { enabled = false } }, HttpStatusCode.Created);
        var id = (string)created["id"]!;

        using var nanhai = AiortcVenue.Start(toneHz: 1100, listenHz: [1100], TimeSpan.FromSeconds(90));
        using (var joined = await PostOfferAsync(node, $"/api/sessions/{id}/venues/fs-nanhai/webrtc", await nanhai.OfferAsync(cancel)))
        {
            Assert.Equal(HttpStatusCode.Created, joined.StatusCode);
            await nanhai.AnswerAsync(await joined.Content.ReadAsStringAsync(cancel));
        }

        await Until(async () => await LegStateAsync(node, id, "fs-nanhai") == "connected", "南海's browser leg connected");

        var page = await OpenPageAsync(node);
        var clock = Stopwatch.StartNew();
        var location = await WatchAsync(node, page, $"/api/sessions/{id}/venues/fs-nanhai/whep");
        Assert.Matches($"^/api/sessions/{id}/venues/fs-nanhai/whep/[0-9a-f]{{24}}$", location);
        await Until(page, s => s.Frames > 0, "Chromium's first decoded frame of 南海");
        output?.WriteLine($"offer posted to 南海's first decoded frame in Chromium: {clock.ElapsedMilliseconds} ms");
        var shown = await Until(page, s => s.Frames > 25, "南海's picture playing in Chromium");
        output?.WriteLine($"Chromium: {shown}");
        Assert.Equal((320, 240), (shown.Width, shown.Height));
        Assert.Equal(1, await WatchingAsync(node));

        var session = await node.Http.GetJsonAsync($"/api/sessions/{id}");
        Assert.Equal(["fs-chancheng", "fs-nanhai"], session["venues"]!.AsArray().Select(v => (string)v!["venueId"]!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("watch:", session.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("watch:", (await node.Http.GetJsonAsync($"/api/sessions/{id}/timeline")).ToJsonString(), StringComparison.Ordinal);

        using var ended = await node.Http.DeleteAsync(location, cancel);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(0, await WatchingAsync(node));
        var frames = (await StatsAsync(page)).Frames;
        await Task.Delay(1000, cancel);
        Assert.True((await StatsAsync(page)).Frames - frames < 5, "no picture reaches the watcher once its watch has ended");
        Assert.Equal("connected", await LegStateAsync(node, id, "fs-nanhai"));
        using var again = await node.Http.DeleteAsync(location, cancel);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    private async Task<IPage> OpenPageAsync(SiloProcess node)
    {
        var page = await browser.NewPageAsync(new() { BaseURL = $"http://127.0.0.1:{node.HttpPort}" });
        await page.GotoAsync("/login.html");
        return page;
    }

    /// <summary>The page offers, the test posts the offer as the signed-in operator, and the page takes the answer; returns the Location.</summary>
    private static async Task<string> WatchAsync(SiloProcess node, IPage page, string path)
    {
        var offer = await page.EvaluateAsync<string>(OfferScript);
        using var watched = await PostOfferAsync(node, path, offer);
        var answer = await watched.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(watched.StatusCode == HttpStatusCode.Created, $"{(int)watched.StatusCode}: {answer}");
        Assert.Contains("a=sendonly", answer, StringComparison.Ordinal);
        await page.EvaluateAsync("answer => window.watch.setRemoteDescription({ type: 'answer', sdp: answer })", answer);
        return watched.Headers.Location!.OriginalString;
    }

    private static async Task<HttpResponseMessage> PostOfferAsync(SiloProcess node, string path, string sdp)
    {
        using var content = new StringContent(sdp, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        return await node.Http.PostAsync(path, content, TestContext.Current.CancellationToken);
    }

    private static async Task<WatchStats> StatsAsync(IPage page)
    {
        var s = JsonDocument.Parse(await page.EvaluateAsync<string>(StatsScript)).RootElement;
        return new WatchStats(s.GetProperty("frames").GetInt32(), s.GetProperty("width").GetInt32(), s.GetProperty("height").GetInt32(),
            s.GetProperty("codec").GetString() ?? "", s.GetProperty("state").GetString() ?? "");
    }

    /// <summary>How many watches the node's bridge holds, as its health check says.</summary>
    private static async Task<int> WatchingAsync(SiloProcess node)
    {
        var health = await node.Http.GetJsonAsync("/health");
        return int.Parse(WatchingPattern().Match((string)health["checks"]!["bridge"]!["description"]!).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static async Task<string?> LegStateAsync(SiloProcess node, string sessionId, string venueId)
    {
        var session = await node.Http.GetJsonAsync($"/api/sessions/{sessionId}");
        return (string?)session["venues"]!.AsArray().Single(v => (string?)v!["venueId"] == venueId)!["media"]?["state"];
    }

    private static async Task<WatchStats> Until(IPage page, Func<WatchStats, bool> condition, string what, Camera? camera = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var stats = await StatsAsync(page);
            if (condition(stats))
            {
                return stats;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}; last stats {stats}\n{camera?.Output}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>A GStreamer RTSP server serving 320x240 H.264 at /cam, started and listening.</summary>
    private static async Task<Camera> StartCameraAsync(int port)
    {
        var info = new ProcessStartInfo("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Rtsp", "rtsp_camera.py"), port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var camera = new Camera(Process.Start(info) ?? throw new InvalidOperationException("python3 did not start"));
        var ready = await camera.Process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.True(ready == "ready", $"the GStreamer camera did not start ({ready}); it needs python3-gi and gir1.2-gst-rtsp-server-1.0");
        return camera;
    }

    private static int FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"(\d+) watching")]
    private static partial Regex WatchingPattern();

    private sealed record WatchStats(int Frames, int Width, int Height, string Codec, string State);

    private sealed class Camera(Process process) : IDisposable
    {
        public Process Process { get; } = process;

        public string Output => Process.HasExited ? Process.StandardError.ReadToEnd() : "";

        public void Dispose()
        {
            try
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            Process.Dispose();
        }
    }
}
