using Command.Contracts.Media;
using MediaBridge.Legs;
using MediaBridge.Legs.Browsers;
using MediaBridge.Legs.Watchers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaBridge.Control;

/// <summary>
/// The bridge as the cluster sees it: it announces itself to the registry every heartbeat, with how
/// long it may stay silent before its sessions move (an observer does not survive a silo loss, so it
/// is re-registered each time), passes each plan it is sent to the leg planner, and hands browsers'
/// offers to the browser legs and their watches to the watch legs; a watch that ends by itself is
/// reported so the registry forgets it.
/// </summary>
public sealed partial class BridgeAgent(IGrainFactory grains, IOptions<BridgeOptions> options, ILogger<BridgeAgent> logger) : IMediaBridgeObserver
{
    private readonly string instanceId = Guid.NewGuid().ToString("N");
    private string bridgeId = "";

    public LegPlanner? Legs { get; set; }

    public BrowserLegs? Browsers { get; set; }

    public WatchLegs? Watchers { get; set; }

    public Task ApplyAsync(ConferencePlan plan)
    {
        Legs?.Apply(plan);
        return Task.CompletedTask;
    }

    public Task<BrowserJoinResult> JoinBrowserAsync(BrowserJoin join) =>
        Task.FromResult(Browsers?.Join(join) ?? BrowserJoinResult.Refused(BrowserJoinStatus.Unavailable, "The media bridge is starting."));

    public Task<bool> LeaveBrowserAsync(string sessionId, string legId) => Task.FromResult(Browsers?.Leave(sessionId, legId) ?? false);

    public Task<WatchResult> WatchAsync(WatchRequest request) =>
        Task.FromResult(Watchers?.Watch(request) ?? WatchResult.Refused(WatchStatus.Unavailable, "The media bridge is starting."));

    public Task<bool> EndWatchAsync(WatchTarget target, string watchId) => Task.FromResult(Watchers?.End(target, watchId) ?? false);

    /// <summary>Tells the registry a watch ended by itself; a lost message leaves it noted there until its DELETE or this bridge goes.</summary>
    public void WatchEnded(string watchId)
    {
        if (bridgeId.Length == 0)
        {
            return;
        }

        try
        {
            grains.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey).WatchEndedAsync(bridgeId, watchId).Ignore();
        }
        catch (Exception e) when (e is OrleansException or InvalidOperationException)
        {
            LogRegisterFailed(e);
        }
    }

    public async Task RunAsync(string bridgeId, string sipEndPoint, int capacity, Func<(int Conferences, int Legs)> load, CancellationToken cancel)
    {
        this.bridgeId = bridgeId;
        var self = grains.CreateObjectReference<IMediaBridgeObserver>(this);
        var registry = grains.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey);
        var heartbeat = TimeSpan.FromMilliseconds(options.Value.HeartbeatMilliseconds);
        var expiry = TimeSpan.FromMilliseconds(Math.Max(options.Value.ExpiryMilliseconds, 2 * options.Value.HeartbeatMilliseconds));

        // A fixed beat, not a pause after each call: a slow answer must not stretch the silence the registry sees.
        using var beat = new PeriodicTimer(heartbeat);
        try
        {
            do
            {
                try
                {
                    var (conferences, legs) = load();
                    await registry.RegisterAsync(new BridgeInfo(bridgeId, instanceId, sipEndPoint, capacity, conferences, legs, Healthy: true, expiry), self)
                        .WaitAsync(expiry, cancel);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRegisterFailed(e);
                }
            }
            while (await beat.WaitForNextTickAsync(cancel));
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            try
            {
                await registry.UnregisterAsync(bridgeId).WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException or InvalidOperationException)
            {
                LogRegisterFailed(e);
            }

            grains.DeleteObjectReference<IMediaBridgeObserver>(self);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Announcing the bridge to the cluster failed; retrying")]
    private partial void LogRegisterFailed(Exception e);
}
