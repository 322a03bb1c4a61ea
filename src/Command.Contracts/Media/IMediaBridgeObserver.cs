namespace Command.Contracts.Media;

/// <summary>The command channel from the cluster to one bridge.</summary>
public interface IMediaBridgeObserver : IGrainObserver
{
    /// <summary>The newest plan of a session this bridge carries; one-way so no session ever waits on media.</summary>
    [OneWay]
    Task ApplyAsync(ConferencePlan plan);

    /// <summary>Answers a browser's offer with a leg in the session's conference.</summary>
    Task<BrowserJoinResult> JoinBrowserAsync(BrowserJoin join);

    /// <summary>Ends a browser's leg; false when the bridge has no such leg in that session.</summary>
    Task<bool> LeaveBrowserAsync(string sessionId, string legId);

    /// <summary>Answers a browser's offer to watch a camera or a venue with a receive-only leg of its own.</summary>
    Task<WatchResult> WatchAsync(WatchRequest request);

    /// <summary>Ends a watch; false when the bridge has no such watch of that target.</summary>
    Task<bool> EndWatchAsync(WatchTarget target, string watchId);
}
