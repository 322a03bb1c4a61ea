using System.Collections.Immutable;
using Command.Contracts.Feeds;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using Microsoft.Extensions.Logging;

namespace Command.Grains.Media;

/// <summary>
/// Live bridges are kept in memory (they re-announce every second or so); which bridge carries which
/// session is persisted, so a restarted registry still routes every live session's plans. A bridge
/// seen for the first time, or with a new instance id, is sent the plans of all its sessions; a
/// bridge silent past the expiry it announced, or one that leaves, loses its sessions to the least
/// loaded live bridge, and each moved session is told so that its browsers rejoin.
/// </summary>
/// <remarks>
/// Watches (WHEP) are held by one bridge each and noted in memory only: a bridge that is lost or restarts
/// ends its own, so it ends them here too; a restarted registry forgets them, and asks every live bridge
/// to end one it does not know.
/// A registry that has just been activated (first use, or after its silo was lost) knows no bridge
/// yet. For the longest expiry bridges have announced it moves nobody's sessions but those of bridges
/// it saw leave: the bridges that are alive re-announce within a heartbeat and keep their sessions.
/// </remarks>
public sealed partial class BridgeRegistryGrain(
    [PersistentState("bridges", CommandStorage.Name)] IPersistentState<BridgeRegistryState> state,
    TimeProvider time,
    ILogger<BridgeRegistryGrain> logger) : Grain, IBridgeRegistryGrain
{
    /// <summary>How long a bridge that does not announce its own expiry may stay silent.</summary>
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromSeconds(15);

    /// <summary>How often silent bridges are looked for; short, so detection adds little to a bridge's expiry.</summary>
    private static readonly TimeSpan Sweep = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<string, Bridge> bridges = new(StringComparer.Ordinal);

    /// <summary>Bridges seen to leave or fall silent since activation, with why; their sessions move even within the grace.</summary>
    private readonly Dictionary<string, string> lost = new(StringComparer.Ordinal);

    /// <summary>Each watch's bridge and target, so its DELETE reaches the bridge holding it.</summary>
    private readonly Dictionary<string, (string BridgeId, WatchTarget Target)> watches = new(StringComparer.Ordinal);

    /// <summary>Bridges asked for sessions that are not live yet; memory only, as the asker is waiting for them to come live.</summary>
    private readonly Dictionary<string, string> placements = new(StringComparer.Ordinal);

    private DateTimeOffset graceUntil;
    private bool graceOver;

    private Dictionary<string, string> Assignments => state.State.Assignments;

    private bool InGrace => !graceOver;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var grace = state.State.LongestExpiry > TimeSpan.Zero ? state.State.LongestExpiry : DefaultExpiry;
        graceUntil = time.GetUtcNow() + grace;
        this.RegisterGrainTimer(ExpireAsync, new GrainTimerCreationOptions(Sweep, Sweep));
        return Task.CompletedTask;
    }

    public async Task RegisterAsync(BridgeInfo bridge, IMediaBridgeObserver observer)
    {
        var fresh = !bridges.TryGetValue(bridge.Id, out var known) || known.Info.InstanceId != bridge.InstanceId;
        bridges[bridge.Id] = new Bridge(bridge, observer, time.GetUtcNow());
        lost.Remove(bridge.Id);
        var longest = bridges.Values.Max(b => ExpiryOf(b.Info));
        var dirty = longest != state.State.LongestExpiry;
        state.State.LongestExpiry = longest;
        if (!fresh)
        {
            if (dirty)
            {
                await state.WriteStateAsync();
            }

            return;
        }

        LogBridgeJoined(bridge.Id, bridge.SipEndPoint, ExpiryOf(bridge).TotalMilliseconds);
        ForgetWatches(bridge.Id);
        var waiting = Assignments.Where(a => a.Value.Length == 0).Select(a => a.Key).ToList();
        waiting.ForEach(s => Assignments[s] = bridge.Id);
        if (waiting.Count > 0 || dirty)
        {
            await state.WriteStateAsync();
        }

        await ResendAsync([.. Assignments.Where(a => a.Value == bridge.Id).Select(a => a.Key)]);
        waiting.ForEach(s => TellMoved(s, null, bridge.Id, "a media bridge joined"));
    }

    public Task UnregisterAsync(string bridgeId)
    {
        bridges.Remove(bridgeId);
        lost[bridgeId] = "it shut down";
        ForgetWatches(bridgeId);
        LogBridgeLeft(bridgeId);
        return MoveOrphansAsync();
    }

    public async Task PushAsync(ConferencePlan plan)
    {
        var assigned = Assignments.GetValueOrDefault(plan.SessionId);
        placements.Remove(plan.SessionId, out var placed);
        if (!plan.Live)
        {
            if (assigned is not null)
            {
                Send(assigned, plan);
                Assignments.Remove(plan.SessionId);
                await state.WriteStateAsync();
            }

            return;
        }

        if (assigned is not null && assigned.Length > 0 && !bridges.ContainsKey(assigned) && InGrace && !lost.ContainsKey(assigned))
        {
            // Its bridge has not re-announced to this fresh registry yet; when it does, it is sent the plan.
            return;
        }

        if (assigned is null || (assigned.Length > 0 && !bridges.ContainsKey(assigned)))
        {
            var from = assigned;
            assigned = (placed is not null && bridges.ContainsKey(placed) ? placed : null) ?? LeastLoaded() ?? "";
            Assignments[plan.SessionId] = assigned;
            await state.WriteStateAsync();
            LogAssigned(plan.SessionId, assigned.Length == 0 ? "(none yet)" : assigned);
            if (from is { Length: > 0 })
            {
                Send(assigned, plan);
                TellMoved(plan.SessionId, from, assigned, ReasonLost(from));
                return;
            }
        }

        Send(assigned, plan);
    }

    public async Task PlaceAsync(string sessionId, string bridgeId)
    {
        if (!bridges.ContainsKey(bridgeId))
        {
            return;
        }

        var from = Assignments.GetValueOrDefault(sessionId);
        if (from is null)
        {
            placements[sessionId] = bridgeId;
            return;
        }

        if (from == bridgeId)
        {
            return;
        }

        Assignments[sessionId] = bridgeId;
        await state.WriteStateAsync();
        if (from.Length > 0)
        {
            // The old bridge ends the session's legs before the new one, sent the plan next, calls the venues in.
            Send(from, new ConferencePlan(sessionId, false, [], long.MaxValue));
        }

        await ResendAsync([sessionId]);
        TellMoved(sessionId, from.Length > 0 ? from : null, bridgeId, $"its call came to media bridge {bridgeId}");
    }

    public Task<ImmutableArray<BridgeInfo>> GetBridgesAsync() =>
        Task.FromResult(bridges.Values.Select(b => b.Info).ToImmutableArray());

    public Task<string?> GetAssignmentAsync(string sessionId) =>
        Task.FromResult(Assignments.TryGetValue(sessionId, out var b) && b.Length > 0 ? b : null);

    public async Task<BrowserJoinResult> JoinBrowserAsync(BrowserJoin join)
    {
        if (Assignments.GetValueOrDefault(join.SessionId) is not { } bridgeId)
        {
            return BrowserJoinResult.Refused(BrowserJoinStatus.NotLive, $"Session {join.SessionId} is not live on any media bridge.");
        }

        if (bridgeId.Length == 0)
        {
            return BrowserJoinResult.Refused(BrowserJoinStatus.Unavailable, $"Session {join.SessionId} is waiting for a media bridge.");
        }

        if (!bridges.TryGetValue(bridgeId, out var bridge))
        {
            return BrowserJoinResult.Refused(BrowserJoinStatus.Unavailable, $"Media bridge {bridgeId} is not reachable; the session is moving to another.");
        }

        try
        {
            var result = await bridge.Observer.JoinBrowserAsync(join);

            // The session is live here, so a bridge that does not know it yet has not received its plan: ask again shortly.
            return result.Status == BrowserJoinStatus.NotLive && Assignments.ContainsKey(join.SessionId)
                ? BrowserJoinResult.Refused(BrowserJoinStatus.Unavailable, $"Media bridge {bridgeId} is taking session {join.SessionId} on.")
                : result;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            LogBridgeUnreachable(e, bridgeId);
            return BrowserJoinResult.Refused(BrowserJoinStatus.Unavailable, $"Media bridge {bridgeId} did not answer.");
        }
    }

    public async Task<bool> LeaveBrowserAsync(string sessionId, string legId)
    {
        if (Assignments.GetValueOrDefault(sessionId) is not { Length: > 0 } bridgeId || !bridges.TryGetValue(bridgeId, out var bridge))
        {
            return false;
        }

        try
        {
            return await bridge.Observer.LeaveBrowserAsync(sessionId, legId);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            LogBridgeUnreachable(e, bridgeId);
            return false;
        }
    }

    public async Task<WatchResult> WatchAsync(WatchRequest request)
    {
        var target = request.Target;
        string bridgeId;
        if (target.Kind == WatchKind.Venue)
        {
            if (Assignments.GetValueOrDefault(target.SessionId ?? "") is not { } assigned)
            {
                return WatchResult.Refused(WatchStatus.NotLive, $"Session {target.SessionId} is not live on any media bridge.");
            }

            if (assigned.Length == 0)
            {
                return WatchResult.Refused(WatchStatus.Unavailable, $"Session {target.SessionId} is waiting for a media bridge.");
            }

            bridgeId = assigned;
        }
        else
        {
            var feed = GrainFactory.GetGrain<IFeedGrain>(target.FeedId ?? "");
            if (await feed.GetPlanFeedAsync() is not { } planFeed)
            {
                return WatchResult.Refused(WatchStatus.NotFound, $"There is no feed {target.FeedId}.");
            }

            request = request with { Feed = planFeed };
            if (WatchBridgeFor(target.FeedId!, (await feed.GetMediaAsync())?.BridgeId) is not { } chosen)
            {
                return WatchResult.Refused(WatchStatus.Unavailable, "No media bridge is available.");
            }

            bridgeId = chosen;
        }

        if (!bridges.TryGetValue(bridgeId, out var bridge))
        {
            return WatchResult.Refused(WatchStatus.Unavailable, $"Media bridge {bridgeId} is not reachable; the session is moving to another.");
        }

        try
        {
            var result = await bridge.Observer.WatchAsync(request);
            if (result is { Status: WatchStatus.Watching, WatchId: { } watchId })
            {
                watches[watchId] = (bridgeId, target);
                LogWatching(watchId, target.Describe(), bridgeId);
                return result;
            }

            // As with a browser join: a live session its bridge does not know yet has not reached it; ask again shortly.
            return result.Status == WatchStatus.NotLive && target.Kind == WatchKind.Venue && Assignments.ContainsKey(target.SessionId!)
                ? WatchResult.Refused(WatchStatus.Unavailable, $"Media bridge {bridgeId} is taking session {target.SessionId} on.")
                : result;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            LogBridgeUnreachable(e, bridgeId);
            return WatchResult.Refused(WatchStatus.Unavailable, $"Media bridge {bridgeId} did not answer.");
        }
    }

    public async Task<bool> EndWatchAsync(WatchTarget target, string watchId)
    {
        if (watches.TryGetValue(watchId, out var watch))
        {
            if (watch.Target != target)
            {
                return false;
            }

            watches.Remove(watchId);
            return bridges.TryGetValue(watch.BridgeId, out var bridge) && await EndWatchAtAsync(watch.BridgeId, bridge, target, watchId);
        }

        // A registry activated since the watch began does not know its bridge; each live bridge knows its own.
        var ended = await Task.WhenAll(bridges.ToList().Select(b => EndWatchAtAsync(b.Key, b.Value, target, watchId)));
        return ended.Any(e => e);
    }

    private async Task<bool> EndWatchAtAsync(string bridgeId, Bridge bridge, WatchTarget target, string watchId)
    {
        try
        {
            return await bridge.Observer.EndWatchAsync(target, watchId);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            LogBridgeUnreachable(e, bridgeId);
            return false;
        }
    }

    public Task WatchEndedAsync(string bridgeId, string watchId)
    {
        if (watches.TryGetValue(watchId, out var watch) && watch.BridgeId == bridgeId)
        {
            watches.Remove(watchId);
        }

        return Task.CompletedTask;
    }

    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var silent = bridges.Values.Where(b => now - b.Seen > ExpiryOf(b.Info)).Select(b => b.Info).ToList();
        foreach (var bridge in silent)
        {
            bridges.Remove(bridge.Id);
            ForgetWatches(bridge.Id);
            lost[bridge.Id] = $"it was silent for over {ExpiryOf(bridge).TotalSeconds:0.#} s";
            LogBridgeLost(bridge.Id, ExpiryOf(bridge).TotalMilliseconds);
        }

        var graceEnded = InGrace && now >= graceUntil;
        graceOver |= graceEnded;
        if (silent.Count > 0 || graceEnded)
        {
            await MoveOrphansAsync();
        }
    }

    /// <summary>
    /// Gives the sessions of bridges no longer here to live ones, has those call the venues in again,
    /// and tells each session so its browsers rejoin. Within the grace only bridges seen to go count.
    /// </summary>
    private async Task MoveOrphansAsync()
    {
        var orphans = Assignments
            .Where(a => a.Value.Length > 0 && !bridges.ContainsKey(a.Value) && (graceOver || lost.ContainsKey(a.Value)))
            .Select(a => (Session: a.Key, From: a.Value))
            .ToList();
        if (orphans.Count == 0)
        {
            return;
        }

        foreach (var (session, _) in orphans)
        {
            Assignments[session] = LeastLoaded() ?? "";
        }

        await state.WriteStateAsync();
        await ResendAsync([.. orphans.Select(o => o.Session)]);
        foreach (var (session, from) in orphans)
        {
            if (Assignments.TryGetValue(session, out var to))
            {
                TellMoved(session, from, to, ReasonLost(from));
            }
        }

        foreach (var gone in lost.Keys.Where(b => !Assignments.ContainsValue(b)).ToList())
        {
            lost.Remove(gone);
        }
    }

    /// <summary>Sent after the plan, so a browser that rejoins at once finds the new bridge knowing the session.</summary>
    private void TellMoved(string sessionId, string? from, string to, string reason)
    {
        LogMoved(sessionId, from ?? "(none)", to.Length == 0 ? "(none yet)" : to, reason);
        GrainFactory.GetGrain<ISessionGrain>(sessionId).MovedToBridgeAsync(from, to.Length == 0 ? null : to, reason).Ignore();
    }

    private string ReasonLost(string bridgeId) =>
        lost.GetValueOrDefault(bridgeId) ?? "it did not re-announce after the bridge registry restarted";

    private async Task ResendAsync(IReadOnlyList<string> sessions)
    {
        var plans = await Task.WhenAll(sessions.Select(async id =>
        {
            try
            {
                return await GrainFactory.GetGrain<ISessionGrain>(id).GetConferencePlanAsync();
            }
            catch (Exception e)
            {
                LogPlanUnavailable(e, id);
                return null;
            }
        }));
        var ended = false;
        foreach (var plan in plans.OfType<ConferencePlan>())
        {
            if (plan.Live)
            {
                Send(Assignments.GetValueOrDefault(plan.SessionId, ""), plan);
            }
            else
            {
                ended |= Assignments.Remove(plan.SessionId);
            }
        }

        if (ended)
        {
            await state.WriteStateAsync();
        }
    }

    private void Send(string bridgeId, ConferencePlan plan)
    {
        if (bridges.TryGetValue(bridgeId, out var bridge))
        {
            bridge.Observer.ApplyAsync(plan).Ignore();
        }
    }

    private string? LeastLoaded() =>
        bridges.Values
            .Where(b => b.Info.Healthy)
            .OrderBy(b => Assignments.Count(a => a.Value == b.Info.Id) / (double)Math.Max(1, b.Info.Capacity))
            .Select(b => b.Info.Id)
            .FirstOrDefault();

    /// <summary>
    /// The bridge already ingesting the camera (as its report says, or holding a watch of it), so it is
    /// pulled once; else the healthy bridge with the smallest share of its capacity in use.
    /// </summary>
    private string? WatchBridgeFor(string feedId, string? ingesting)
    {
        bool Usable(string? id) => id is not null && bridges.TryGetValue(id, out var b) && b.Info.Healthy;
        if (Usable(ingesting))
        {
            return ingesting;
        }

        var watching = watches.Values.Where(w => w.Target.FeedId == feedId).Select(w => w.BridgeId).FirstOrDefault(Usable);
        return watching ?? bridges.Values
            .Where(b => b.Info.Healthy)
            .OrderBy(b => b.Info.Legs / (double)Math.Max(1, b.Info.Capacity))
            .Select(b => b.Info.Id)
            .FirstOrDefault();
    }

    private void ForgetWatches(string bridgeId)
    {
        foreach (var id in watches.Where(w => w.Value.BridgeId == bridgeId).Select(w => w.Key).ToList())
        {
            watches.Remove(id);
        }
    }

    private static TimeSpan ExpiryOf(BridgeInfo bridge) => bridge.Expiry > TimeSpan.Zero ? bridge.Expiry : DefaultExpiry;

    private sealed record Bridge(BridgeInfo Info, IMediaBridgeObserver Observer, DateTimeOffset Seen);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media bridge {BridgeId} at {SipEndPoint} joined; it may be silent for {ExpiryMs} ms")]
    private partial void LogBridgeJoined(string bridgeId, string sipEndPoint, double expiryMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media bridge {BridgeId} was silent for over {ExpiryMs} ms; its sessions move")]
    private partial void LogBridgeLost(string bridgeId, double expiryMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media bridge {BridgeId} left; its sessions move")]
    private partial void LogBridgeLeft(string bridgeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId} moved from media bridge {FromBridge} to {ToBridge}: {Reason}")]
    private partial void LogMoved(string sessionId, string fromBridge, string toBridge, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} is carried by bridge {BridgeId}")]
    private partial void LogAssigned(string sessionId, string bridgeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch {WatchId} of {Target} is held by media bridge {BridgeId}")]
    private partial void LogWatching(string watchId, string target, string bridgeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media bridge {BridgeId} did not answer a browser join, watch or leave")]
    private partial void LogBridgeUnreachable(Exception e, string bridgeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read session {SessionId}'s plan")]
    private partial void LogPlanUnavailable(Exception e, string sessionId);
}
