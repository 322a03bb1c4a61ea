using System.Collections.Immutable;

namespace Command.Contracts.Media;

/// <summary>
/// Knows the live bridges and which bridge carries which session. Bridges announce themselves
/// every heartbeat with how long they may stay silent; a bridge silent longer, or one that leaves,
/// has its sessions moved to another, and each moved session is told so its browsers rejoin.
/// </summary>
public interface IBridgeRegistryGrain : IGrainWithStringKey
{
    const string DefaultKey = "default";

    /// <summary>A bridge's heartbeat, with the observer its plans are sent to.</summary>
    Task RegisterAsync(BridgeInfo bridge, IMediaBridgeObserver observer);

    Task UnregisterAsync(string bridgeId);

    /// <summary>Sends a session's plan to its bridge, choosing one for a newly live session.</summary>
    Task PushAsync(ConferencePlan plan);

    /// <summary>
    /// Puts a session on the given live bridge (a cascade relay session goes where its uplink's call came in):
    /// one not live yet goes there when it comes live; one live on another bridge moves there, as on failover.
    /// Nothing changes when that bridge is not live here.
    /// </summary>
    Task PlaceAsync(string sessionId, string bridgeId);

    [AlwaysInterleave]
    Task<ImmutableArray<BridgeInfo>> GetBridgesAsync();

    /// <summary>Hands a browser's offer to the bridge carrying the session; interleaved as it changes nothing here.</summary>
    [AlwaysInterleave]
    Task<BrowserJoinResult> JoinBrowserAsync(BrowserJoin join);

    [AlwaysInterleave]
    Task<bool> LeaveBrowserAsync(string sessionId, string legId);

    /// <summary>
    /// Hands a watch to the session's bridge (a venue), or to the bridge already ingesting the camera or
    /// else the least loaded (a feed), and notes which bridge holds it. Interleaved so a bridge's answer
    /// holds up no heartbeat; it touches only the in-memory table of watches, after the answer.
    /// </summary>
    [AlwaysInterleave]
    Task<WatchResult> WatchAsync(WatchRequest request);

    /// <summary>Ends a watch on the bridge that holds it; false when no bridge holds one of that id and target.</summary>
    [AlwaysInterleave]
    Task<bool> EndWatchAsync(WatchTarget target, string watchId);

    /// <summary>A bridge ended a watch by itself (the browser went, or the venue's session ended): it is forgotten here.</summary>
    [OneWay]
    Task WatchEndedAsync(string bridgeId, string watchId);

    /// <summary>The bridge carrying a session, or null.</summary>
    [AlwaysInterleave]
    Task<string?> GetAssignmentAsync(string sessionId);
}
