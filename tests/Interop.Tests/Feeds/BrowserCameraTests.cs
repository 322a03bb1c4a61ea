using System.Text.Json;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Sip;
using Microsoft.Playwright;

namespace Interop.Tests.Feeds;

/// <summary>
/// Debian's Chromium opens the venue page as 南海 in a live session whose chair broadcast a camera:
/// the browser negotiates H.264 and decodes the camera's own picture size.
/// </summary>
public sealed class BrowserCameraTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-browsercam-");
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
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            ],
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
    public async Task Chromium_on_the_venue_page_decodes_a_camera_the_chair_broadcast()
    {
        using var camera = await Camera.GstreamerAsync(size: "352x288");
        await using var node = await BridgeNode.StartAsync(work, FeedApi.QuickReports);
        var feedId = await FeedApi.RegisterAsync(node.Node, camera.Url);
        var session = await FeedApi.SessionWithAsync(node.Node, feedId);
        await FeedApi.BroadcastAsync(node.Node, session, feedId);

        var page = await browser.NewPageAsync(new() { BaseURL = $"http://127.0.0.1:{node.Node.HttpPort}" });
        await page.GotoAsync($"/login.html?next={Uri.EscapeDataString($"/venue.html?venue=fs-nanhai&session={session}")}");
        await page.FillAsync("#username", SiloProcess.Operator);
        await page.FillAsync("#password", SiloProcess.OperatorPassword);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync("**/venue.html**");
        await page.WaitForSelectorAsync($"#session option[value='{session}']", new() { State = WaitForSelectorState.Attached });
        await page.WaitForSelectorAsync("#join-button:not([disabled])");
        await page.ClickAsync("#join-button");
        await page.WaitForSelectorAsync("#media-state[data-state='connected']", new() { Timeout = 20_000 });

        Video? last = null;
        await FeedApi.UntilAsync(async () => (last = await VideoAsync(page)) is { FramesDecoded: > 30, Width: 352, Height: 288 },
            "the camera's 352x288 picture decoded in Chromium", () => $"stats: {last}\ncamera:\n{camera.Output}\nnode:\n{node.Node.Output}");
        TestContext.Current.TestOutputHelper?.WriteLine($"Chromium: {last}");
        Assert.Equal("video/H264", last!.Codec, ignoreCase: true);
    }

    private static async Task<Video> VideoAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const pc = window.commandVenue?.pc;
              const out = { frames: 0, width: 0, height: 0, codec: '' };
              if (!pc) return JSON.stringify(out);
              const stats = await pc.getStats();
              stats.forEach((r) => {
                if (r.type !== 'inbound-rtp' || r.kind !== 'video') return;
                out.frames = r.framesDecoded ?? 0; out.width = r.frameWidth ?? 0; out.height = r.frameHeight ?? 0;
                out.codec = stats.get(r.codecId)?.mimeType ?? '';
              });
              return JSON.stringify(out);
            }
            """);
        var s = JsonDocument.Parse(json).RootElement;
        return new Video(s.GetProperty("frames").GetInt32(), s.GetProperty("width").GetInt32(), s.GetProperty("height").GetInt32(), s.GetProperty("codec").GetString() ?? "");
    }

    private sealed record Video(int FramesDecoded, int Width, int Height, string Codec);
}
