using System.Diagnostics;
using System.Globalization;
using System.Net;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Sip;

namespace Interop.Tests.Cascade;

/// <summary>
/// A lower deployment of one silo and two bridges on Redis, registered to an upper deployment through an uplink
/// held by the busier bridge: the upper's call comes to that bridge, and the relay session goes live there (not on
/// the idler bridge the registry would otherwise pick), so the call is answered.
/// </summary>
public sealed class CascadeBridgesTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private static readonly string[] Cascade =
    [
        "--Command:Cascade:KeepAliveSeconds=1", "--Command:Cascade:AnswerTimeoutSeconds=1", "--Command:Cascade:MaxBackoffSeconds=2",
        "--Command:Cascade:ClaimSeconds=0.5", "--Logging:LogLevel:MediaBridge.Legs=Information",
    ];

    private readonly DirectoryInfo upperWork = Directory.CreateTempSubdirectory("command-upper-bridges-");
    private readonly DirectoryInfo lowerWork = Directory.CreateTempSubdirectory("command-lower-bridges-");
    private readonly int upperSipPort = Ports.Free();
    private readonly List<BridgeProcess> bridges = [];
    private BridgeNode? upper;
    private RedisServer? redis;
    private SiloProcess? lower;

    [Fact]
    public async Task The_call_from_above_is_answered_by_the_bridge_holding_the_uplink_though_the_other_is_idler()
    {
        upper = await CascadeNodes.StartUpperAsync(upperWork, upperSipPort);
        redis = await RedisServer.StartAsync(lowerWork.FullName);
        var cluster = $"cascade-bridges-{Guid.NewGuid():N}";
        lower = SiloProcess.Start(
            lowerWork.FullName,
            [
                $"--Command:Redis={redis.ConnectionString}", $"--Command:ClusterId={cluster}",
                $"--Command:TopologyFile={Topology.WriteLoopback(lowerWork.FullName)}", "--Command:Bridge:Enabled=false",
                "--Command:Cascade:Uplinks:0:Name=广东省平台",
                $"--Command:Cascade:Uplinks:0:Registrar=sip:127.0.0.1:{upperSipPort.ToString(CultureInfo.InvariantCulture)}",
                $"--Command:Cascade:Uplinks:0:Username={CascadeNodes.Sha256User}",
                $"--Command:Cascade:Uplinks:0:Password={CascadeNodes.Sha256Password}",
                "--Command:Cascade:Uplinks:0:VenueIds:0=fs-main",
                "--Command:Cascade:Uplinks:0:VenueIds:1=fs-nanhai",
                .. Cascade,
            ]);
        await lower.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await lower.SignInAsync();

        // The first bridge takes the uplink and a live session of its own; the second comes later, idle.
        var holder = Start(redis.ConnectionString, cluster, "bridge-a", 25000, 26999);
        await holder.WaitListeningAsync(TimeSpan.FromSeconds(60));
        var uplinkId = await UntilAsync("the uplink registered by bridge-a", async () =>
            (await lower.Http.GetJsonAsync("/api/cascade/uplinks")).AsArray().FirstOrDefault(u => (string?)u!["status"] == "registered" && (string?)u["bridgeId"] == "bridge-a") is { } u
                ? (string?)u["id"] : null);
        var busy = await lower.Http.PostJsonAsync("/api/sessions",
            new { title = "占用", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-shunde" }, record = false, autoBackup = new { enabled = false } }, HttpStatusCode.Created);
        await UntilAsync("the busy session live on bridge-a", async () =>
            (string?)(await lower.Http.GetJsonAsync($"/api/sessions/{(string)busy["id"]!}"))["state"] == "live" ? "yes" : null);
        var idle = Start(redis.ConnectionString, cluster, "bridge-b", 27000, 28999);
        await idle.WaitListeningAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);

        var meeting = await upper.Node.Http.PostJsonAsync("/api/sessions",
            new { title = "多媒体桥级联", kind = "meeting", chairVenueId = "fs-chancheng", venueIds = new[] { CascadeNodes.Sha256Venue }, autoBackup = new { enabled = false } },
            HttpStatusCode.Created);
        var clock = Stopwatch.StartNew();
        await upper.Node.Http.PostJsonAsync($"/api/sessions/{(string)meeting["id"]!}/start", new { });

        var relayId = await UntilAsync("the uplink in call", async () =>
            (await lower.Http.GetJsonAsync($"/api/cascade/uplinks/{uplinkId}")) is { } u && (string?)u["status"] == "in-call" ? (string?)u["sessionId"] : null);
        TestContext.Current.TestOutputHelper?.WriteLine($"meeting started to the uplink in call at bridge-a: {clock.ElapsedMilliseconds} ms");
        Assert.Contains($"answered into relay session {relayId}", holder.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(relayId, idle.Output, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        bridges.ForEach(b => b.Dispose());
        if (lower is not null)
        {
            await lower.DisposeAsync();
        }

        redis?.Dispose();
        await CascadeNodes.StopAsync([upper], upperWork, lowerWork);
    }

    private BridgeProcess Start(string redisAddress, string cluster, string id, int rtpMin, int rtpMax)
    {
        var bridge = BridgeProcess.Start(redisAddress, cluster,
            [$"--Command:Bridge:BridgeId={id}", $"--Command:Bridge:RtpPortMin={rtpMin}", $"--Command:Bridge:RtpPortMax={rtpMax}", .. Cascade]);
        bridges.Add(bridge);
        return bridge;
    }

    private async Task<T> UntilAsync<T>(string what, Func<Task<T?>> condition)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition() is { } value)
            {
                return value;
            }

            if (clock.Elapsed > Patience)
            {
                Assert.Fail($"Not met within {Patience}: {what}\n{string.Join('\n', bridges.Select(b => b.Output))}\nlower silo:\n{lower?.Output}");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
