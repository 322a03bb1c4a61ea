using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Sip;
using Microsoft.AspNetCore.SignalR.Client;

namespace Interop.Tests.WebRtc;

/// <summary>
/// A fresh Redis and, on it, a silo without a bridge of its own, signed in as the operator; bridge processes
/// join the cluster with <see cref="StartBridge"/>, and the hub's MediaMoved messages are read in order.
/// </summary>
internal sealed class FailoverCluster : IAsyncDisposable
{
    private readonly RedisServer redis;
    private readonly string clusterId;
    private readonly string token;
    private readonly Channel<(JsonNode Move, TimeSpan At)> moves = Channel.CreateUnbounded<(JsonNode Move, TimeSpan At)>();
    private HubConnection? hub;

    private FailoverCluster(RedisServer redis, string clusterId, SiloProcess node, string token)
    {
        this.redis = redis;
        this.clusterId = clusterId;
        this.token = token;
        Node = node;
    }

    public SiloProcess Node { get; }

    public static async Task<FailoverCluster> StartAsync(DirectoryInfo work)
    {
        var redis = await RedisServer.StartAsync(work.FullName);
        var clusterId = $"failover-{Guid.NewGuid():N}";
        var node = SiloProcess.Start(
            work.FullName, $"--Command:Redis={redis.ConnectionString}", $"--Command:ClusterId={clusterId}",
            $"--Command:TopologyFile={Topology.WriteLoopback(work.FullName)}", "--Command:Bridge:Enabled=false");
        try
        {
            await node.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            return new FailoverCluster(redis, clusterId, node, await node.SignInAsync());
        }
        catch
        {
            await node.DisposeAsync();
            redis.Dispose();
            throw;
        }
    }

    /// <summary>A bridge process in the cluster with its own range of RTP ports, by which an answer tells which bridge carries it.</summary>
    public BridgeProcess StartBridge(string id, int rtpMin, int rtpMax) =>
        BridgeProcess.Start(redis.ConnectionString, clusterId, $"--Command:Bridge:BridgeId={id}",
            $"--Command:Bridge:RtpPortMin={rtpMin}", $"--Command:Bridge:RtpPortMax={rtpMax}");

    /// <summary>Subscribes to the province on the hub, each MediaMoved kept with the time <paramref name="clock"/> shows when it comes.</summary>
    public async Task WatchMovesAsync(Stopwatch clock)
    {
        var cancel = TestContext.Current.CancellationToken;
        hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Node.Http.BaseAddress!, "/hubs/command"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        hub.On<JsonElement>("MediaMoved", e => moves.Writer.TryWrite((JsonNode.Parse(e.GetRawText())!, clock.Elapsed)));
        await hub.StartAsync(cancel);
        await hub.InvokeAsync<JsonElement>("SubscribeRegion", "440000", cancel);
    }

    /// <summary>The next move of <paramref name="sessionId"/> the hub tells of, failing with <paramref name="diagnostics"/> if none comes in time.</summary>
    public async Task<(JsonNode Move, TimeSpan At)> NextMoveAsync(string sessionId, TimeSpan timeout, Func<string> diagnostics)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var move = await moves.Reader.ReadAsync(cts.Token);
                if ((string?)move.Move["sessionId"] == sessionId)
                {
                    return move;
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"The hub told of no move within {timeout}.\n{diagnostics()}");
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (hub is not null)
        {
            await hub.DisposeAsync();
        }

        await Node.DisposeAsync();
        redis.Dispose();
    }
}
