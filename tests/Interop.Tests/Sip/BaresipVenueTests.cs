using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Command.Silo.Tests.Infrastructure;

namespace Interop.Tests.Sip;

/// <summary>
/// The whole node as an operator runs it, with baresip as a venue terminal: registering with the
/// topology's credentials turns the venue online on the API; a wrong password leaves it offline.
/// </summary>
public sealed partial class BaresipVenueTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-baresip-");

    [Fact]
    public async Task A_venue_terminal_registering_shows_online_and_a_wrong_password_leaves_it_offline()
    {
        var topology = Topology.WriteLoopback(work.FullName);
        await using var node = SiloProcess.Start(work.FullName, $"--Command:DataDirectory={Path.Combine(work.FullName, "data")}", $"--Command:TopologyFile={topology}");
        await node.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await node.SignInAsync();
        var health = await node.Http.GetJsonAsync("/health");
        var sipPort = int.Parse(SipPort().Match((string)health["checks"]!["bridge"]!["description"]!).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
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

    [Fact]
    public async Task The_bridge_runs_as_its_own_process_beside_a_redis_cluster()
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

        using var chancheng = Baresip.Start($"<sip:2101@127.0.0.1:{sipPort}>;auth_pass=fs-2101-Sample!;regint=600");

        var clock = Stopwatch.StartNew();
        while (await StatusAsync(node, "fs-chancheng") != "online" && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.True(await StatusAsync(node, "fs-chancheng") == "online", $"bridge output:\n{bridge.Output}\nbaresip:\n{chancheng.Output}");
        Assert.DoesNotContain("bridge", ((System.Text.Json.Nodes.JsonObject)(await node.Http.GetJsonAsync("/health"))["checks"]!).Select(c => c.Key));
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

    [GeneratedRegex(@"SIP on udp\+tcp [^:]+:(\d+)")]
    private static partial Regex SipPort();
}
