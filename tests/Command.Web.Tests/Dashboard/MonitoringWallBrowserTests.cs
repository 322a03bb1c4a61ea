using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Command.Grains.Tests.Infrastructure;
using Command.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Command.Web.Tests.Dashboard;

/// <summary>
/// The monitoring wall in Debian's Chromium against a running node. The node's WHEP answers are taken
/// over by the test: a second page in the same browser answers the wall's offers with a real WebRTC peer
/// sending a 320×240 canvas, or the test answers with the problem details the node would send.
/// </summary>
public sealed partial class MonitoringWallBrowserTests(BrowserNodeFactory node) : BrowserTest(node, switches: DirectPeers)
{
    private const string Camera = "cam-police-daliang-01";

    /// <summary>The two pages reach each other by their loopback address rather than an mDNS name.</summary>
    private const string DirectPeers = "--disable-features=WebRtcHideLocalIpsWithMdns";

    [Fact]
    public async Task The_feed_list_shows_each_feed_with_its_status_and_the_layout_switch_gives_1_4_9_or_16_tiles()
    {
        var page = await SignInAsync(TestUsers.Admin);
        var feed = page.Locator($"#feed-list li[data-feed='{Camera}']");
        await Assertions.Expect(feed).ToContainTextAsync("大良清晖园周边治安监控");
        await Assertions.Expect(feed.Locator(".badge")).ToHaveTextAsync(StatusZh());
        await Assertions.Expect(feed).ToHaveAttributeAsync("draggable", "true");
        await Assertions.Expect(page.Locator("#wall-panel h2")).ToHaveTextAsync("画面监看");

        await Assertions.Expect(page.Locator("#wall-tiles .tile")).ToHaveCountAsync(4);
        foreach (var n in new[] { 9, 16, 1, 4 })
        {
            await page.Locator($"#wall-layouts button[data-layout='{n}']").ClickAsync();
            await Assertions.Expect(page.Locator("#wall-tiles .tile")).ToHaveCountAsync(n);
            await Assertions.Expect(page.Locator($"#wall-layouts button[data-layout='{n}']")).ToHaveAttributeAsync("aria-pressed", "true");
        }

        await Assertions.Expect(page.Locator("#wall-tiles .tile").First).ToContainTextAsync("将监控或会场拖到这里");
        await page.Locator("#lang").ClickAsync();
        await Assertions.Expect(page.Locator("#wall-panel h2")).ToHaveTextAsync("Monitoring wall");
        await Assertions.Expect(page.Locator("#wall-tiles .tile").First).ToContainTextAsync("Drop a camera or a venue here");
        await Assertions.Expect(feed.Locator(".badge")).ToHaveTextAsync(new Regex("^(Offline|Connecting)$"));
    }

    [Fact]
    public async Task A_dropped_camera_plays_over_whep_shows_its_bit_rate_broadcasts_and_is_released_when_cleared()
    {
        var id = await CreateSessionAsync(Admin, "顺德监控上墙", "fs-shunde", "fs-shunde-ronggui");
        try
        {
            var (answerer, answer) = await AnswererAsync();
            var page = await SignInAsync(TestUsers.Admin);
            var posts = new ConcurrentQueue<(string Url, string? Type, string Offer)>();
            var deletes = new ConcurrentQueue<string>();
            await page.RouteAsync($"**/api/feeds/{Camera}/whep", async route =>
            {
                posts.Enqueue((route.Request.Url, route.Request.Headers.GetValueOrDefault("content-type"), route.Request.PostData ?? ""));
                var sdp = await answer(route.Request.PostData ?? "");
                await route.FulfillAsync(new()
                {
                    Status = 201,
                    Headers = new Dictionary<string, string> { ["Location"] = $"/api/feeds/{Camera}/whep/watch-{posts.Count}" },
                    ContentType = "application/sdp",
                    Body = sdp,
                });
            });
            await page.RouteAsync($"**/api/feeds/{Camera}/whep/*", async route =>
            {
                deletes.Enqueue($"{route.Request.Method} {new Uri(route.Request.Url).AbsolutePath}");
                await route.FulfillAsync(new() { Status = 200 });
            });

            await page.Locator($"#wall-session").SelectOptionAsync(id);
            var tile = page.Locator(".tile[data-tile='0']");
            await page.Locator($"#feed-list li[data-feed='{Camera}']").DragToAsync(tile);

            await Assertions.Expect(tile).ToHaveAttributeAsync("data-state", "playing", new() { Timeout = 15000 });
            var (url, type, offer) = Assert.Single(posts);
            Assert.EndsWith($"/api/feeds/{Camera}/whep", url, StringComparison.Ordinal);
            Assert.Equal("application/sdp", type);
            Assert.Contains("m=video", offer, StringComparison.Ordinal);
            Assert.Contains("a=recvonly", offer, StringComparison.Ordinal);
            Assert.DoesNotContain("m=audio", offer, StringComparison.Ordinal);
            Assert.Contains("a=candidate", offer, StringComparison.Ordinal);
            await Assertions.Expect(tile).ToHaveAttributeAsync("data-width", "320", new() { Timeout = 10000 });
            await Assertions.Expect(tile).ToHaveAttributeAsync("data-height", "240");
            await Assertions.Expect(tile).ToHaveAttributeAsync("data-kbps", NonZero(), new() { Timeout = 5000 });
            await Assertions.Expect(tile.Locator(".tile-name")).ToContainTextAsync("大良清晖园周边治安监控");
            await Assertions.Expect(tile.Locator(".tile-rate")).ToContainTextAsync("kbit/s");
            await Assertions.Expect(tile.Locator(".badge.wall-playing")).ToHaveTextAsync("播放中");
            await Assertions.Expect(tile.Locator("button[data-action='wall-listen']")).ToBeHiddenAsync();
            Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector(\".tile[data-tile='0'] video\").getVideoPlaybackQuality().totalVideoFrames > 0"));

            await tile.Locator("button[data-action='wall-broadcast']").ClickAsync();
            await Assertions.Expect(tile.Locator(".badge.flag-on-air")).ToHaveTextAsync("广播中", new() { Timeout = 5000 });
            var session = await Admin.GetJsonAsync($"/api/sessions/{id}");
            Assert.Equal(Camera, (string?)session["broadcastFeedId"]);
            Assert.Contains(Camera, session["feedIds"]!.AsArray().Select(f => (string?)f));

            // The far end goes away: the tile lets go of its watch and asks for a new one by itself.
            await answerer.EvaluateAsync("() => window.pcs.forEach((pc) => pc.close())");
            await Eventually.Until(() => Task.FromResult(posts.Count >= 2), done => done, TimeSpan.FromSeconds(20));
            Assert.Contains($"DELETE /api/feeds/{Camera}/whep/watch-1", deletes);
            await Assertions.Expect(tile).ToHaveAttributeAsync("data-state", "playing", new() { Timeout = 15000 });

            await tile.Locator("button[data-action='wall-clear']").ClickAsync();
            await Assertions.Expect(tile).ToHaveClassAsync(new Regex(@"\bempty\b"));
            await Eventually.Until(() => Task.FromResult(deletes.Contains($"DELETE /api/feeds/{Camera}/whep/watch-{posts.Count}")), done => done, TimeSpan.FromSeconds(5));
        }
        finally
        {
            await Admin.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_dropped_venue_asks_for_what_it_sends_in_its_session_waits_out_a_503_and_says_why_it_cannot_play_in_both_languages()
    {
        var id = await CreateSessionAsync(Admin, "高明会场监看", "fs-gaoming", "fs-gaoming-yanghe");
        try
        {
            var page = await SignInAsync(TestUsers.Admin);
            var posts = new ConcurrentQueue<(string Path, DateTime At, string Offer)>();
            await page.RouteAsync($"**/api/sessions/{id}/venues/*/whep", async route =>
            {
                posts.Enqueue((new Uri(route.Request.Url).AbsolutePath, DateTime.UtcNow, route.Request.PostData ?? ""));
                var first = posts.Count == 1;
                await route.FulfillAsync(new()
                {
                    Status = first ? 503 : 409,
                    Headers = first ? new Dictionary<string, string> { ["Retry-After"] = "1" } : [],
                    ContentType = "application/problem+json",
                    Body = first ? """{"status":503,"title":"Media bridge unavailable"}""" : """{"status":409,"title":"Refused by a rule","detail":"not sending"}""",
                });
            });

            var tile = page.Locator(".tile[data-tile='1']");
            await DragAsync(page, page.Locator($"[data-session='{id}'] tr[data-venue='fs-gaoming-yanghe']"), tile);

            await Assertions.Expect(tile.Locator(".tile-message")).ToContainTextAsync("媒体桥暂时不可用");
            await Assertions.Expect(tile.Locator(".tile-message")).ToContainTextAsync("信号源当前没有画面", new() { Timeout = 5000 });
            var list = posts.ToList();
            Assert.True(list.Count >= 2);
            Assert.All(list, p => Assert.Equal($"/api/sessions/{id}/venues/fs-gaoming-yanghe/whep", p.Path));
            Assert.True(list[1].At - list[0].At >= TimeSpan.FromMilliseconds(900), $"the second offer waited for Retry-After: {(list[1].At - list[0].At).TotalMilliseconds:F0} ms");
            Assert.Contains("m=video", list[0].Offer, StringComparison.Ordinal);
            Assert.Contains("m=audio", list[0].Offer, StringComparison.Ordinal);
            Assert.Equal(2, Regex.Matches(list[0].Offer, "a=recvonly").Count);
            await Assertions.Expect(tile.Locator(".tile-name")).ToContainTextAsync("杨和镇分会场");

            // From the tree the venue has no session of its own: it plays in the live session it belongs to.
            var other = page.Locator(".tile[data-tile='2']");
            await page.Locator("#venue-tree li[data-venue='fs-gaoming']").DragToAsync(other);
            await Eventually.Until(() => Task.FromResult(posts.Any(p => p.Path == $"/api/sessions/{id}/venues/fs-gaoming/whep")), done => done, TimeSpan.FromSeconds(5));

            await page.Locator("#lang").ClickAsync();
            await Assertions.Expect(tile.Locator(".tile-message")).ToContainTextAsync("The source has no picture now");
            await Assertions.Expect(tile.Locator("button[data-action='wall-broadcast']")).ToHaveTextAsync("Broadcast");
        }
        finally
        {
            await Admin.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// The drag events a browser fires, sent to the elements themselves: a real mouse drag from a session
    /// card below the fold to the wall above it would scroll the page under the pointer midway.
    /// </summary>
    private static async Task DragAsync(IPage page, ILocator source, ILocator target)
    {
        var transfer = await page.EvaluateHandleAsync("() => new DataTransfer()");
        await source.DispatchEventAsync("dragstart", new { dataTransfer = transfer });
        await target.DispatchEventAsync("dragover", new { dataTransfer = transfer });
        await target.DispatchEventAsync("drop", new { dataTransfer = transfer });
    }

    /// <summary>A page whose RTCPeerConnections answer offers with a moving 320×240 canvas, each kept in window.pcs.</summary>
    private async Task<(IPage Page, Func<string, Task<string>> Answer)> AnswererAsync()
    {
        var page = await Browser.NewPageAsync();
        await page.GotoAsync("about:blank");
        await page.EvaluateAsync("""
            () => {
              const canvas = document.createElement('canvas');
              canvas.width = 320;
              canvas.height = 240;
              document.body.append(canvas);
              const ctx = canvas.getContext('2d');
              let n = 0;
              setInterval(() => {
                ctx.fillStyle = `hsl(${(n += 7) % 360} 70% 45%)`;
                ctx.fillRect(0, 0, 320, 240);
                ctx.fillStyle = '#fff';
                ctx.fillText(String(n), 10 + (n % 280), 120);
              }, 40);
              const stream = canvas.captureStream(25);
              window.pcs = [];
              window.answer = async (offer) => {
                const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
                window.pcs.push(pc);
                await pc.setRemoteDescription({ type: 'offer', sdp: offer });
                for (const t of pc.getTransceivers()) {
                  if (t.receiver.track.kind !== 'video') continue;
                  await t.sender.replaceTrack(stream.getVideoTracks()[0]);
                  t.direction = 'sendonly';
                }
                await pc.setLocalDescription(await pc.createAnswer());
                if (pc.iceGatheringState !== 'complete') {
                  await new Promise((resolve) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve()));
                }
                return pc.localDescription.sdp;
              };
            }
            """);
        return (page, offer => page.EvaluateAsync<string>("(offer) => window.answer(offer)", offer));
    }

    private static async Task<string> CreateSessionAsync(HttpClient admin, string title, string chair, string venue)
    {
        var created = await admin.PostJsonAsync(
            "/api/sessions", new { title, kind = "emergency", chairVenueId = chair, venueIds = new[] { venue } }, HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    /// <summary>Signs in with shorter periods, so that a reconnect and the feed list's refresh happen well inside a test.</summary>
    private Task<IPage> SignInAsync(string user) =>
        Browser.SignInAsync(user, page => page.AddInitScriptAsync("window.commandWallTiming = { retryMs: 300, disconnectedMs: 1000, connectTimeoutMs: 8000, feedRefreshMs: 1000 };"));

    [GeneratedRegex("^(离线|连接中)$")]
    private static partial Regex StatusZh();

    [GeneratedRegex("^[1-9][0-9]*$")]
    private static partial Regex NonZero();
}
