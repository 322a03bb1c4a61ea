using System.Diagnostics;
using System.Net;
using Command.Silo.Tests.Infrastructure;

namespace Interop.Tests.Sip;

/// <summary>
/// Venue status against a real terminal (baresip) and a real node with a 4 s keep-alive period: a
/// terminal that dies turns its venue offline within one period, even in a call; after a kill -9 of
/// the node its registration is restored from the store and a live session calls it again without it
/// registering anew.
/// </summary>
public sealed class BaresipPresenceTests : IDisposable
{
    private const int KeepAliveSeconds = 4;
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-presence-");

    [Fact]
    public async Task A_terminal_that_dies_in_a_call_turns_its_venue_offline_within_one_keep_alive_period()
    {
        await using var started = await BridgeNode.StartAsync(work, $"--Command:Bridge:KeepAliveSeconds={KeepAliveSeconds}");
        var node = started.Node;
        var chancheng = Baresip.Start($"<sip:2101@127.0.0.1:{started.SipPort}>;auth_pass=fs-2101-Sample!;regint=600", toneHz: 500);
        try
        {
            await Until(async () => await StatusAsync(node, "fs-chancheng") == "online", "禅城 online", () => chancheng.Output);
            var id = await CreateSessionAsync(node);
            await Until(async () => await StatusAsync(node, "fs-chancheng") == "in-session", "禅城 in session", () => chancheng.Output);
            Assert.Equal("connected", await LegStateAsync(node, id, "fs-chancheng"));
            Assert.Equal("offline", await StatusAsync(node, "fs-nanhai"));
        }
        finally
        {
            chancheng.Dispose();
        }

        var clock = Stopwatch.StartNew();
        await Until(async () => await StatusAsync(node, "fs-chancheng") == "offline", "禅城 offline after its terminal died", () => node.Output);
        var took = clock.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"baresip killed in a call; its venue read offline after {took.TotalMilliseconds:F0} ms (keep-alive period {KeepAliveSeconds} s)");
        Assert.True(took < TimeSpan.FromSeconds(KeepAliveSeconds + 1.5), $"offline after {took}");
    }

    [Fact]
    public async Task After_a_kill_9_of_the_node_a_live_session_calls_the_terminal_without_it_registering_again()
    {
        // The same SIP port after the restart, as a node on 5060 has: the bridge keeps its name and its sessions.
        string[] settings = [$"--Command:Bridge:KeepAliveSeconds={KeepAliveSeconds}", $"--Command:Bridge:SipPort={Ports.Free()}"];
        var first = await BridgeNode.StartAsync(work, settings);
        using var chancheng = Baresip.Start($"<sip:2101@127.0.0.1:{first.SipPort}>;auth_pass=fs-2101-Sample!;regint=3600", toneHz: 500);
        string id;
        try
        {
            await Until(async () => await StatusAsync(first.Node, "fs-chancheng") == "online", "禅城 online", () => chancheng.Output);
            await Until(async () => (await first.Node.Http.GetJsonAsync("/api/venues/fs-chancheng"))["bridge"] is not null, "禅城's bridge named", () => first.Node.Output);
            var registered = Registrations(chancheng.Output);

            // The binding is written off the SIP path; give the queue a moment before the kill.
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            id = await CreateSessionAsync(first.Node);
            await Until(async () => await LegStateAsync(first.Node, id, "fs-chancheng") == "connected", "禅城 called before the kill", () => chancheng.Output);
            Assert.Equal(1, Answered(chancheng.Output));
            first.Node.KillHard();
            Assert.Equal(registered, Registrations(chancheng.Output));
        }
        finally
        {
            await first.DisposeAsync();
        }

        var clock = Stopwatch.StartNew();
        await using var second = await BridgeNode.StartAsync(work, settings);
        var node = second.Node;
        Assert.Equal("live", (string?)(await node.Http.GetJsonAsync($"/api/sessions/{id}"))["state"]);
        await Until(() => Task.FromResult(Answered(chancheng.Output) == 2), "禅城 called again by the restarted node",
            async () => $"session: {await node.Http.GetJsonAsync($"/api/sessions/{id}")}\nvenue: {await node.Http.GetJsonAsync("/api/venues/fs-chancheng")}\nnode:\n{node.Output}\nbaresip:\n{chancheng.Output}");
        await Until(async () => await StatusAsync(node, "fs-chancheng") == "in-session", "禅城 in session again", () => chancheng.Output);
        Assert.Equal("connected", await LegStateAsync(node, id, "fs-chancheng"));
        TestContext.Current.TestOutputHelper?.WriteLine($"restarted node called baresip back {clock.ElapsedMilliseconds} ms after the kill; baresip registrations: {Registrations(chancheng.Output)}");
        Assert.Equal(1, Registrations(chancheng.Output));
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

    /// <summary>How many times baresip reported a successful registration.</summary>
    private static int Registrations(string output) =>
        output.Split('\n').Count(l => l.Contains("200 OK", StringComparison.Ordinal) && l.Contains("binding", StringComparison.Ordinal));

    /// <summary>How many calls baresip answered.</summary>
    private static int Answered(string output) => output.Split('\n').Count(l => l.Contains("answering call", StringComparison.Ordinal));

    private static async Task<string> CreateSessionAsync(SiloProcess node)
    {
        var created = await node.Http.PostJsonAsync("/api/sessions",
            new { title = "在线状态演练", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-nanhai" }, autoBackup = new { enabled = false } }, HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    private static async Task<string?> StatusAsync(SiloProcess node, string venueId) =>
        (string?)(await node.Http.GetJsonAsync($"/api/venues/{venueId}"))["status"];

    private static async Task<string?> LegStateAsync(SiloProcess node, string sessionId, string venueId)
    {
        var session = await node.Http.GetJsonAsync($"/api/sessions/{sessionId}");
        return (string?)session["venues"]!.AsArray().Single(v => (string?)v!["venueId"] == venueId)!["media"]?["state"];
    }

    private static Task Until(Func<Task<bool>> condition, string what, Func<string> diagnostics) =>
        Until(condition, what, () => Task.FromResult(diagnostics()));

    private static async Task Until(Func<Task<bool>> condition, string what, Func<Task<string>> diagnostics)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}.\n{await diagnostics()}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
