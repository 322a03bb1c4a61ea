using System.Collections.Concurrent;
using Command.Contracts.Media;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Media;

/// <summary>
/// A bridge as the registry sees it: it records the plans and browser offers it is sent and, when
/// given a heartbeat, announces itself on that beat until paused, as a crashed bridge would stop.
/// </summary>
internal sealed class FakeBridge(IGrainFactory grains, TimeSpan expiry) : IMediaBridgeObserver, IAsyncDisposable
{
    private IMediaBridgeObserver? self;
    private string instance = Guid.NewGuid().ToString("N");
    private CancellationTokenSource? beating;
    private Task beat = Task.CompletedTask;
    private bool gone;

    public string Id { get; } = $"test-bridge-{Guid.NewGuid():N}";

    public ConcurrentQueue<ConferencePlan> Plans { get; } = new();

    public ConcurrentQueue<BrowserJoin> Joins { get; } = new();

    public ConcurrentDictionary<string, string> Legs { get; } = new();

    public ConcurrentDictionary<string, WatchRequest> Watches { get; } = new();

    private static IBridgeRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey);

    /// <summary>Registers once; the registry's default expiry applies and nothing re-announces it.</summary>
    public static Task<FakeBridge> RegisterAsync(IGrainFactory grains) => RegisterAsync(grains, TimeSpan.Zero);

    public static async Task<FakeBridge> RegisterAsync(IGrainFactory grains, TimeSpan expiry)
    {
        var bridge = new FakeBridge(grains, expiry);
        bridge.self = grains.CreateObjectReference<IMediaBridgeObserver>(bridge);
        await bridge.RegisterAgainAsync(newInstance: false);
        return bridge;
    }

    /// <summary>Registers and keeps announcing itself every <paramref name="heartbeat"/>.</summary>
    public static async Task<FakeBridge> BeatingAsync(IGrainFactory grains, TimeSpan heartbeat, TimeSpan expiry)
    {
        var bridge = await RegisterAsync(grains, expiry);
        bridge.Resume(heartbeat);
        return bridge;
    }

    public Task RegisterAgainAsync(bool newInstance)
    {
        instance = newInstance ? Guid.NewGuid().ToString("N") : instance;
        return Registry(grains).RegisterAsync(new BridgeInfo(Id, instance, "127.0.0.1:5060", 100, 0, 0, true, expiry), self!);
    }

    /// <summary>Stops announcing, without leaving: to the registry it has crashed.</summary>
    public async Task PauseAsync()
    {
        beating?.Cancel();
        await beat;
    }

    public void Resume(TimeSpan heartbeat)
    {
        beating = new CancellationTokenSource();
        var cancel = beating.Token;
        beat = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(heartbeat);
            try
            {
                while (await timer.WaitForNextTickAsync(cancel))
                {
                    await RegisterAgainAsync(newInstance: false);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public Task ApplyAsync(ConferencePlan plan)
    {
        Plans.Enqueue(plan);
        return Task.CompletedTask;
    }

    public Task<BrowserJoinResult> JoinBrowserAsync(BrowserJoin join)
    {
        Joins.Enqueue(join);
        var legId = Guid.NewGuid().ToString("N");
        Legs[legId] = join.SessionId;
        return Task.FromResult(new BrowserJoinResult(BrowserJoinStatus.Joined, $"answer to {join.OfferSdp} for {join.VenueId}", legId, null));
    }

    public Task<bool> LeaveBrowserAsync(string sessionId, string legId) =>
        Task.FromResult(Legs.TryRemove(new KeyValuePair<string, string>(legId, sessionId)));

    public Task<WatchResult> WatchAsync(WatchRequest request)
    {
        var watchId = Guid.NewGuid().ToString("N");
        Watches[watchId] = request;
        return Task.FromResult(new WatchResult(WatchStatus.Watching, $"answer to {request.OfferSdp}", watchId, null));
    }

    public Task<bool> EndWatchAsync(WatchTarget target, string watchId) =>
        Task.FromResult(Watches.TryGetValue(watchId, out var request) && request.Target == target && Watches.TryRemove(watchId, out _));

    public Task<ConferencePlan> PlanAsync(string sessionId, Func<ConferencePlan, bool> wanted) =>
        Eventually.Until(() => Task.FromResult(Plans.LastOrDefault(p => p.SessionId == sessionId && wanted(p))), p => p is not null, TimeSpan.FromSeconds(5))!;

    public async ValueTask DisposeAsync()
    {
        if (gone)
        {
            return;
        }

        gone = true;
        await PauseAsync();
        await Registry(grains).UnregisterAsync(Id);
        grains.DeleteObjectReference<IMediaBridgeObserver>(self!);
    }
}
