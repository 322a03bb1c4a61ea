using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Chaos;
using Interop.Tests.Infrastructure;
using Interop.Tests.Sip;

namespace Interop.Tests.WebRtc;

/// <summary>
/// One silo and two bridge processes on a real Redis; a live session with two aiortc browsers.
/// The bridge carrying it is killed with SIGKILL: the registry notices the silence, gives the
/// session to the other bridge, the hub tells the browsers, and they rejoin there, as the venue page does.
/// </summary>
public sealed partial class BridgeFailoverTests() : WorkFolderTest("command-failover-")
{
    private static readonly TimeSpan Bar = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_killed_bridges_session_and_browsers_are_carried_by_the_other_bridge_within_10_s()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var cluster = await FailoverCluster.StartAsync(Work);
        var node = cluster.Node;
        var bridges = new Dictionary<string, (BridgeProcess Process, int RtpMin, int RtpMax)>
        {
            ["bridge-a"] = (cluster.StartBridge("bridge-a", 21000, 22999), 21000, 22999),
            ["bridge-b"] = (cluster.StartBridge("bridge-b", 23000, 24999), 23000, 24999),
        };
        try
        {
            foreach (var bridge in bridges.Values)
            {
                await bridge.Process.WaitListeningAsync(TimeSpan.FromSeconds(60));
            }

            string Diagnostics() => string.Join('\n', bridges.Select(b => $"{b.Key}:\n{b.Value.Process.Output}")) + $"\nsilo:\n{node.Output}";
            string BridgeOf(string answer)
            {
                var port = int.Parse(AudioPort().Match(answer).Groups[1].Value, CultureInfo.InvariantCulture);
                return bridges.Single(b => port >= b.Value.RtpMin && port <= b.Value.RtpMax).Key;
            }

            var clock = new Stopwatch();
            await cluster.WatchMovesAsync(clock);

            // Both bridges are known to the registry before the session picks one.
            await Task.Delay(TimeSpan.FromSeconds(1.5), cancel);
            var created = await node.Http.PostJsonAsync("/api/sessions",
                new { title = "媒体桥故障切换", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-nanhai" }, autoBackup = new { enabled = false } }, HttpStatusCode.Created);
            var id = (string)created["id"]!;

            using var chancheng = AiortcVenue.Start(toneHz: 500, listenHz: [1100], TimeSpan.FromSeconds(90));
            using var nanhai = AiortcVenue.Start(toneHz: 1100, listenHz: [500, 800], TimeSpan.FromSeconds(90));
            var venues = new[] { ("fs-chancheng", chancheng), ("fs-nanhai", nanhai) };
            string Media() => $"{Diagnostics()}\naiortc 南海: {nanhai.Status?.ToJsonString()}\n{nanhai.Errors}\naiortc 禅城: {chancheng.Status?.ToJsonString()}\n{chancheng.Errors}";
            var carriers = new List<string>();
            foreach (var (venue, browser) in venues)
            {
                var answer = await JoinAsync(node, id, venue, await browser.OfferAsync(cancel), TimeSpan.FromSeconds(20), Diagnostics);
                carriers.Add(BridgeOf(answer));
                await browser.AnswerAsync(answer);
            }

            var carrier = carriers.Distinct().Single();
            var survivor = bridges.Keys.Single(b => b != carrier);
            await Until(() => nanhai.VideoFrames >= 10 && nanhai.Tone(500) > 10 * nanhai.Tone(800), TimeSpan.FromSeconds(30), "禅城's picture and tone at 南海", Media);

            bridges[carrier].Process.Kill();
            clock.Start();

            var (move, movedAt) = await cluster.NextMoveAsync(id, Bar, Diagnostics);
            Assert.Equal((carrier, survivor), ((string?)move["fromBridge"], (string?)move["toBridge"]));
            var rejoined = new List<(AiortcVenue Browser, int Frames)>();
            foreach (var (venue, browser) in venues)
            {
                var offer = await browser.RejoinAsync(cancel);
                var frames = browser.VideoFrames;
                var answer = await JoinAsync(node, id, venue, offer, Bar, Diagnostics);
                Assert.Equal(survivor, BridgeOf(answer));
                await browser.AnswerAsync(answer);
                rejoined.Add((browser, frames));
            }

            var framesAfter = rejoined.Single(r => r.Browser == nanhai).Frames;
            await Until(() => nanhai.VideoFrames >= framesAfter + 10 && nanhai.Joins == 2, Bar - clock.Elapsed, "禅城's picture at 南海 again, through the surviving bridge", Media);
            var flowing = clock.Elapsed;
            await Until(() => nanhai.Tone(500) > 10 * nanhai.Tone(800), TimeSpan.FromSeconds(5), "禅城's tone at 南海 again", Media);

            var timeline = await node.Http.GetJsonAsync($"/api/sessions/{id}/timeline");
            Assert.Contains(timeline.AsArray(), e => (string?)e!["action"] == "media-moved" && ((string?)e["detail"])!.Contains(survivor));
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"kill -9 of {carrier}: session moved to {survivor} and the hub said so after {movedAt.TotalMilliseconds:F0} ms; " +
                $"the browser decoded the picture again after {flowing.TotalMilliseconds:F0} ms");
            Assert.True(flowing < Bar, $"media flowed again only after {flowing}");
        }
        finally
        {
            foreach (var bridge in bridges.Values)
            {
                bridge.Process.Dispose();
            }
        }
    }

    /// <summary>
    /// The chair is a SIP terminal (baresip) registered with the bridge that is killed: the surviving
    /// bridge calls it from the durable binding, and its picture and tone reach the rejoined browser.
    /// </summary>
    [Fact]
    public async Task A_killed_bridges_sip_terminal_is_called_in_again_by_the_other_bridge_within_10_s()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var cluster = await FailoverCluster.StartAsync(Work);
        var node = cluster.Node;
        using var first = cluster.StartBridge("bridge-a", 21000, 22999);
        var sipPort = await first.WaitListeningAsync(TimeSpan.FromSeconds(60));
        using var chancheng = Baresip.StartVenue(sipPort, "2101", toneHz: 500);
        using var second = cluster.StartBridge("bridge-b", 23000, 24999);
        await second.WaitListeningAsync(TimeSpan.FromSeconds(60));
        string Diagnostics() => $"bridge-a:\n{first.Output}\nbridge-b:\n{second.Output}\nbaresip:\n{chancheng.Output}\nsilo:\n{node.Output}";
        await Until(async () => (string?)(await node.Http.GetJsonAsync("/api/venues/fs-chancheng"))["status"] == "online", TimeSpan.FromSeconds(30), "禅城 online", Diagnostics);

        var clock = new Stopwatch();
        await cluster.WatchMovesAsync(clock);

        var created = await node.Http.PostJsonAsync("/api/sessions",
            new { title = "媒体桥故障切换（SIP）", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-nanhai" }, autoBackup = new { enabled = false } }, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        await Until(async () => await NodeApi.LegStateAsync(node, id, "fs-chancheng") == "connected", TimeSpan.FromSeconds(30), "禅城 called in", Diagnostics);
        using var nanhai = AiortcVenue.Start(toneHz: 1100, listenHz: [500, 800], TimeSpan.FromSeconds(90));
        string Media() => $"{Diagnostics()}\naiortc 南海: {nanhai.Status?.ToJsonString()}\n{nanhai.Errors}";
        var answer = await JoinAsync(node, id, "fs-nanhai", await nanhai.OfferAsync(cancel), TimeSpan.FromSeconds(20), Diagnostics);
        Assert.InRange(int.Parse(AudioPort().Match(answer).Groups[1].Value, CultureInfo.InvariantCulture), 21000, 22999);
        await nanhai.AnswerAsync(answer);
        await Until(() => Task.FromResult(nanhai.VideoFrames >= 10 && nanhai.Tone(500) > 10 * nanhai.Tone(800)), TimeSpan.FromSeconds(30), "禅城's picture and tone at 南海", Media);

        first.Kill();
        clock.Start();

        var (move, movedAt) = await cluster.NextMoveAsync(id, Bar, Diagnostics);
        Assert.Equal("bridge-b", (string?)move["toBridge"]);
        var offer = await nanhai.RejoinAsync(cancel);
        var frames = nanhai.VideoFrames;
        answer = await JoinAsync(node, id, "fs-nanhai", offer, Bar, Diagnostics);
        Assert.InRange(int.Parse(AudioPort().Match(answer).Groups[1].Value, CultureInfo.InvariantCulture), 23000, 24999);
        await nanhai.AnswerAsync(answer);
        await Until(() => Task.FromResult(nanhai.VideoFrames >= frames + 10 && nanhai.Joins == 2 && nanhai.Tone(500) > 10 * nanhai.Tone(800)),
            Bar - clock.Elapsed, "禅城's picture and tone at 南海 again, through the surviving bridge", Media);
        var flowing = clock.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"kill -9 of bridge-a: the hub told of the move after {movedAt.TotalMilliseconds:F0} ms; " +
            $"the SIP terminal's picture and tone reached the rejoined browser after {flowing.TotalMilliseconds:F0} ms");
        Assert.True(flowing < Bar, $"media flowed again only after {flowing}");
    }

    /// <summary>Posts the offer as the venue page does, coming back after the Retry-After of a 503 while the session moves.</summary>
    private static async Task<string> JoinAsync(SiloProcess node, string id, string venue, string offer, TimeSpan timeout, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await NodeApi.PostOfferAsync(node, $"/api/sessions/{id}/venues/{venue}/webrtc", offer);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return body;
            }

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline, $"{venue} joining: {response.StatusCode}: {body}\n{diagnostics()}");
            Assert.NotNull(response.Headers.RetryAfter?.Delta);
            await Task.Delay(response.Headers.RetryAfter.Delta.Value, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Polls every 50 ms: the recovery is timed against a 10 s bar.</summary>
    private static Task Until(Func<bool> condition, TimeSpan timeout, string what, Func<string> diagnostics) =>
        Waiting.UntilAsync(condition, what, diagnostics, timeout.TotalSeconds, every: TimeSpan.FromMilliseconds(50));

    private static Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string> diagnostics) =>
        Waiting.UntilAsync(condition, what, diagnostics, timeout.TotalSeconds, every: TimeSpan.FromMilliseconds(50));

    [GeneratedRegex(@"m=audio (\d+)")]
    private static partial Regex AudioPort();
}
