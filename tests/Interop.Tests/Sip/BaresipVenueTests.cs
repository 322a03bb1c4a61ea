using System.Diagnostics;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;

namespace Interop.Tests.Sip;

/// <summary>
/// The whole node as an operator runs it, with baresip as a venue terminal: registering with the
/// topology's credentials turns the venue online on the API; a wrong password leaves it offline.
/// </summary>
public sealed class BaresipVenueTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-baresip-");

    [Fact]
    public async Task A_venue_terminal_registering_shows_online_and_a_wrong_password_leaves_it_offline()
    {
        await using var started = await BridgeNode.StartAsync(work);
        var (node, sipPort) = (started.Node, started.SipPort);
        Assert.Equal("offline", await StatusAsync(node, "fs-chancheng"));

        using var chancheng = Baresip.Start($"<sip:2101@127.0.0.1:{sipPort}>;auth_pass=fs-2101-Sample!;regint=600");
        using var impostor = Baresip.Start($"<sip:2102@127.0.0.1:{sipPort}>;auth_pass=guessed-password;regint=600");

        var clock = Stopwatch.StartNew();
        while (await StatusAsync(node, "fs-chancheng") != "online" && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Equal("online", await StatusAsync(node, "fs-chancheng"));
        Assert.Equal("offline", await StatusAsync(node, "fs-nanhai"));
        TestContext.Current.TestOutputHelper?.WriteLine($"baresip registered and the venue was online {clock.Elapsed.TotalMilliseconds:F0} ms after start");
    }

    /// <summary>
    /// Registration, the session's plan, the call out, a browser's join and the leg reports all
    /// cross between the silo and the bridge's own process through the cluster.
    /// </summary>
    [Fact]
    public async Task The_bridge_runs_as_its_own_process_beside_a_redis_cluster_and_carries_calls_and_browsers()
    {
        using var redis = await RedisServer.StartAsync(work.FullName);
        var cluster = $"bridge-{Guid.NewGuid():N}";
        await using var node = SiloProcess.Start(
            work.FullName, $"--Command:Redis={redis.ConnectionString}", $"--Command:ClusterId={cluster}",
            $"--Command:TopologyFile={Topology.WriteLoopback(work.FullName)}", "--Command:Bridge:Enabled=false");
        await node.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await node.SignInAsync();
        using var bridge = BridgeProcess.Start(redis.ConnectionString, cluster);
        var sipPort = await bridge.WaitListeningAsync(TimeSpan.FromSeconds(60));

        using var chancheng = Baresip.Start($"<sip:2101@127.0.0.1:{sipPort}>;auth_pass=fs-2101-Sample!;regint=600", toneHz: 500);
        string Diagnostics() => $"bridge output:\n{bridge.Output}\nbaresip:\n{chancheng.Output}";

        await Until(async () => await StatusAsync(node, "fs-chancheng") == "online", "禅城 online", Diagnostics);
        Assert.DoesNotContain("bridge", ((JsonObject)(await node.Http.GetJsonAsync("/health"))["checks"]!).Select(c => c.Key));

        var created = await node.Http.PostJsonAsync("/api/sessions",
            new { title = "跨进程会商", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-nanhai" }, autoBackup = new { enabled = false } }, System.Net.HttpStatusCode.Created);
        var id = (string)created["id"]!;
        await Until(async () => await LegStateAsync(node, id, "fs-chancheng") == "connected", "禅城 called in by the bridge process", Diagnostics);

        using var nanhai = WebRtc.AiortcVenue.Start(toneHz: 1100, listenHz: [500, 800], TimeSpan.FromSeconds(40));
        var offer = await nanhai.OfferAsync(TestContext.Current.CancellationToken);
        using var content = new StringContent(offer, System.Text.Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/sdp");
        using var joined = await node.Http.PostAsync($"/api/sessions/{id}/venues/fs-nanhai/webrtc", content, TestContext.Current.CancellationToken);
        var answer = await joined.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(joined.StatusCode == System.Net.HttpStatusCode.Created, $"{joined.StatusCode}: {answer}\n{Diagnostics()}");
        await nanhai.AnswerAsync(answer);
        await Until(() => Task.FromResult(nanhai.VideoFrames >= 10 && nanhai.Tone(500) > 10 * nanhai.Tone(800)),
            "禅城's picture and tone at the browser", () => $"{Diagnostics()}\naiortc: {nanhai.Status?.ToJsonString()}\n{nanhai.Errors}");
        await Until(async () => await LegStateAsync(node, id, "fs-nanhai") == "connected", "the browser leg reported to the silo", Diagnostics);
    }

    private static async Task<string?> LegStateAsync(SiloProcess node, string sessionId, string venueId)
    {
        var session = await node.Http.GetJsonAsync($"/api/sessions/{sessionId}");
        return (string?)session["venues"]!.AsArray().Single(v => (string?)v!["venueId"] == venueId)!["media"]?["state"];
    }

    private static async Task Until(Func<Task<bool>> condition, string what, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.\n{diagnostics()}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
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

    private static async Task<string?> StatusAsync(SiloProcess node, string venueId) =>
        (string?)(await node.Http.GetJsonAsync($"/api/venues/{venueId}"))["status"];
}
