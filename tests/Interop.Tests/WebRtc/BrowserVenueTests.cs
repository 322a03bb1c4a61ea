using System.Net;
using System.Text.Json;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Chaos;
using Interop.Tests.Infrastructure;
using Interop.Tests.Sip;
using Microsoft.Playwright;

namespace Interop.Tests.WebRtc;

/// <summary>
/// Debian's Chromium with a fake camera and a tone as microphone opens the venue page as 南海 and
/// joins a live session with two baresip softphones (禅城, 顺德). The browser decodes and hears the
/// broadcast softphone, 禅城 decodes and hears the browser, and when the chair moves the broadcast
/// to 顺德 (another picture size) the browser's picture follows without a long freeze.
/// </summary>
public sealed class BrowserVenueTests() : ChromiumTest("command-browser-", fakeMedia: true, microphoneHz: 700)
{
    [Fact]
    public async Task A_browser_venue_sees_and_hears_a_softphone_is_seen_and_heard_by_it_and_follows_a_broadcast_switch()
    {
        var output = TestContext.Current.TestOutputHelper;
        await using var started = await BridgeNode.StartAsync(Work);
        var (node, sipPort) = (started.Node, started.SipPort);
        var heard = Work.CreateSubdirectory("chancheng-heard").FullName;
        using var chancheng = Baresip.StartVenue(sipPort, "2101", toneHz: 500, recordTo: heard);
        using var shunde = Baresip.StartVenue(sipPort, "2103", toneHz: 1100, videoSize: "352x288");
        string Phones() => $"{chancheng.Output}\n---\n{shunde.Output}";
        await NodeApi.VenuesOnlineAsync(node, Phones, "fs-chancheng", "fs-shunde");

        var created = await node.Http.PostJsonAsync("/api/sessions",
            new { title = "防台风视频调度", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-nanhai", "fs-shunde" }, autoBackup = new { enabled = false } }, HttpStatusCode.Created);
        var id = (string)created["id"]!;

        var page = await OperatorPages.OpenVenueAsync(Browser, node, "fs-nanhai", id);
        Assert.Equal(id, await page.InputValueAsync("#session"));
        var joinedAt = DateTime.UtcNow;
        await OperatorPages.JoinAsync(page);
        await Waiting.UntilAsync(async () => (await StatsAsync(page)).VideoFrames > 0, "the browser's first decoded frame", Phones);
        output?.WriteLine($"join to first decoded frame in Chromium: {(DateTime.UtcNow - joinedAt).TotalMilliseconds:F0} ms (includes the page's getUserMedia and offer)");

        await Waiting.UntilAsync(async () => (await StatsAsync(page)) is { VideoFrames: > 30, Width: 320, AudioEnergy: > 0.001 }, "禅城's picture and sound in the browser", Phones);
        Assert.Contains("禅城", await page.TextContentAsync("#floor-broadcast") ?? "", StringComparison.Ordinal);

        await node.Http.PostJsonAsync($"/api/sessions/{id}/view", new { venueId = "fs-chancheng", targetVenueId = "fs-nanhai" });
        await Waiting.UntilAsync(() => Task.FromResult(chancheng.Output.Contains("video: receiving with resolution 640 x 360", StringComparison.Ordinal)), "the browser's picture decoded by 禅城", Phones);
        await Waiting.UntilAsync(() => Task.FromResult(Heard(heard)[700] > 10 * Heard(heard)[500]), "the browser's microphone heard at 禅城", Phones);
        output?.WriteLine($"禅城 hears: {string.Join(", ", Heard(heard).Select(p => $"{p.Key} Hz {p.Value:F0}"))}");

        await page.EvaluateAsync("""
            () => {
              const samples = [];
              window.switchSamples = samples;
              const pc = window.commandVenue.pc;
              window.switchTimer = setInterval(async () => {
                const stats = await pc.getStats();
                stats.forEach((r) => {
                  if (r.type === 'inbound-rtp' && r.kind === 'video') samples.push([Date.now(), r.framesDecoded ?? 0, r.frameWidth ?? 0, r.freezeCount ?? 0]);
                });
              }, 10);
            }
            """);
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        var switchedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await node.Http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = "fs-shunde" });
        await Waiting.UntilAsync(async () => (await StatsAsync(page)).Width == 352, "顺德's picture in the browser", Phones);
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        var samples = JsonSerializer.Deserialize<long[][]>(await page.EvaluateAsync<string>("() => { clearInterval(window.switchTimer); return JSON.stringify(window.switchSamples); }"))!;

        var firstNew = samples.First(s => s[2] == 352)[0];
        var decodedAt = samples.Zip(samples.Skip(1)).Where(p => p.Second[1] > p.First[1]).Select(p => p.Second[0]).ToList();
        var gaps = decodedAt.Zip(decodedAt.Skip(1)).Select(p => p.Second - p.First).ToList();
        var longestGap = gaps.Max();
        var switchMs = firstNew - switchedAt;
        output?.WriteLine($"broadcast switch to the new picture decoded in Chromium: {switchMs} ms; longest gap between decoded frames around it: {longestGap} ms; typical gap {gaps.Order().ElementAt(gaps.Count / 2)} ms");
        Assert.True(switchMs < 1000, $"the browser shows the new broadcast within a second ({switchMs} ms)");
        Assert.True(longestGap <= Math.Max(switchMs, 0) + 150, $"no freeze longer than the switch itself: longest gap {longestGap} ms, switch {switchMs} ms");
        Assert.Contains("顺德", await page.TextContentAsync("#floor-broadcast") ?? "", StringComparison.Ordinal);

        var stats = await StatsAsync(page);
        Assert.True(stats.AudioEnergy > 0.001, $"the browser hears the session: {stats}");
    }

    /// <summary>What 禅城 heard lately: baresip's sndfile module dumps each call's decoded audio as *-dec.wav.</summary>
    private static Dictionary<int, double> Heard(string folder) =>
        Directory.GetFiles(folder, "*dec.wav") is [var wav, ..] ? WavTone.Heard(wav, 8000, TimeSpan.FromSeconds(2), 500, 700, 1100) : new() { [500] = 0, [700] = 0, [1100] = 0 };

    private static async Task<BrowserStats> StatsAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const pc = window.commandVenue.pc;
              const out = { video: 0, width: 0, energy: 0, samples: 0 };
              if (!pc) return JSON.stringify(out);
              (await pc.getStats()).forEach((r) => {
                if (r.type !== 'inbound-rtp') return;
                if (r.kind === 'video') { out.video = r.framesDecoded ?? 0; out.width = r.frameWidth ?? 0; }
                if (r.kind === 'audio') { out.energy = r.totalAudioEnergy ?? 0; out.samples = r.totalSamplesReceived ?? 0; }
              });
              return JSON.stringify(out);
            }
            """);
        var s = JsonDocument.Parse(json).RootElement;
        return new BrowserStats(s.GetProperty("video").GetInt32(), s.GetProperty("width").GetInt32(), s.GetProperty("energy").GetDouble(), s.GetProperty("samples").GetInt64());
    }

    private sealed record BrowserStats(int VideoFrames, int Width, double AudioEnergy, long AudioSamples);
}
