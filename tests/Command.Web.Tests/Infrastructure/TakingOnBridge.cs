using System.Collections.Concurrent;
using Command.Contracts.Media;

namespace Command.Web.Tests.Infrastructure;

/// <summary>A bridge that has been given sessions but not yet their plans: it knows no session, and notes the watches it is asked for.</summary>
public sealed class TakingOnBridge : IMediaBridgeObserver
{
    public ConcurrentQueue<WatchRequest> Watches { get; } = new();

    public Task ApplyAsync(ConferencePlan plan) => Task.CompletedTask;

    public Task<BrowserJoinResult> JoinBrowserAsync(BrowserJoin join) =>
        Task.FromResult(BrowserJoinResult.Refused(BrowserJoinStatus.NotLive, $"Session {join.SessionId} is not live on this bridge."));

    public Task<bool> LeaveBrowserAsync(string sessionId, string legId) => Task.FromResult(false);

    public Task<WatchResult> WatchAsync(WatchRequest request)
    {
        Watches.Enqueue(request);
        return Task.FromResult(WatchResult.Refused(WatchStatus.NotLive, $"Session {request.Target.SessionId} is not live on this bridge."));
    }

    public Task<bool> EndWatchAsync(WatchTarget target, string watchId) => Task.FromResult(false);
}
