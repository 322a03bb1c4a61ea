using System.Collections.Immutable;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using Microsoft.Extensions.Logging;

namespace Command.Grains.Media;

/// <summary>
/// Live bridges are kept in memory (they re-announce every few seconds); which bridge carries which
/// session is persisted, so a restarted registry still routes every live session's plans. A bridge
/// seen for the first time, or with a new instance id, is sent the plans of all its sessions; a
/// bridge silent past <see cref="Expiry"/> loses its sessions to the least loaded live bridge.
/// </summary>
public sealed partial class BridgeRegistryGrain(
    [PersistentState("bridges", CommandStorage.Name)] IPersistentState<BridgeRegistryState> state,
    TimeProvider time,
    ILogger<BridgeRegistryGrain> logger) : Grain, IBridgeRegistryGrain
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(15);

    private readonly Dictionary<string, Bridge> bridges = new(StringComparer.Ordinal);

    private Dictionary<string, string> Assignments => state.State.Assignments;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(ExpireAsync, new GrainTimerCreationOptions(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)));
        return Task.CompletedTask;
    }

    public async Task RegisterAsync(BridgeInfo bridge, IMediaBridgeObserver observer)
    {
        var fresh = !bridges.TryGetValue(bridge.Id, out var known) || known.Info.InstanceId != bridge.InstanceId;
        bridges[bridge.Id] = new Bridge(bridge, observer, time.GetUtcNow());
        if (!fresh)
        {
            return;
        }

        LogBridgeJoined(bridge.Id, bridge.SipEndPoint);
        var waiting = Assignments.Where(a => a.Value.Length == 0).Select(a => a.Key).ToList();
        waiting.ForEach(s => Assignments[s] = bridge.Id);
        if (waiting.Count > 0)
        {
            await state.WriteStateAsync();
        }

        await ResendAsync([.. Assignments.Where(a => a.Value == bridge.Id).Select(a => a.Key)]);
    }

    public Task UnregisterAsync(string bridgeId)
    {
        bridges.Remove(bridgeId);
        return MoveOrphansAsync();
    }

    public async Task PushAsync(ConferencePlan plan)
    {
        var assigned = Assignments.GetValueOrDefault(plan.SessionId);
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

        if (assigned is null || (assigned.Length > 0 && !bridges.ContainsKey(assigned)))
        {
            assigned = LeastLoaded() ?? "";
            Assignments[plan.SessionId] = assigned;
            await state.WriteStateAsync();
            LogAssigned(plan.SessionId, assigned.Length == 0 ? "(none yet)" : assigned);
        }

        Send(assigned, plan);
    }

    public Task<ImmutableArray<BridgeInfo>> GetBridgesAsync() =>
        Task.FromResult(bridges.Values.Select(b => b.Info).ToImmutableArray());

    public Task<string?> GetAssignmentAsync(string sessionId) =>
        Task.FromResult(Assignments.TryGetValue(sessionId, out var b) && b.Length > 0 ? b : null);

    public async Task<BrowserJoinResult> JoinBrowserAsync(BrowserJoin join)
    {
        if (Assignments.GetValueOrDefault(join.SessionId) is not { Length: > 0 } bridgeId)
        {
            return BrowserJoinResult.Refused(BrowserJoinStatus.NotLive, $"Session {join.SessionId} is not live on any media bridge.");
        }

        if (!bridges.TryGetValue(bridgeId, out var bridge))
        {
            return BrowserJoinResult.Refused(BrowserJoinStatus.Unavailable, $"Media bridge {bridgeId} is not reachable; the session is moving to another.");
        }

        try
        {
            return await bridge.Observer.JoinBrowserAsync(join);
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

    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - Expiry;
        var silent = bridges.Where(b => b.Value.Seen < cutoff).Select(b => b.Key).ToList();
        foreach (var id in silent)
        {
            bridges.Remove(id);
            LogBridgeLost(id);
        }

        if (silent.Count > 0)
        {
            await MoveOrphansAsync();
        }
    }

    /// <summary>Gives the sessions of bridges no longer here to live ones, and has those call the venues in again.</summary>
    private async Task MoveOrphansAsync()
    {
        var orphans = Assignments.Where(a => a.Value.Length > 0 && !bridges.ContainsKey(a.Value)).Select(a => a.Key).ToList();
        if (orphans.Count == 0)
        {
            return;
        }

        foreach (var session in orphans)
        {
            Assignments[session] = LeastLoaded() ?? "";
        }

        await state.WriteStateAsync();
        await ResendAsync(orphans);
    }

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

    private sealed record Bridge(BridgeInfo Info, IMediaBridgeObserver Observer, DateTimeOffset Seen);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media bridge {BridgeId} at {SipEndPoint} joined")]
    private partial void LogBridgeJoined(string bridgeId, string sipEndPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media bridge {BridgeId} fell silent; its sessions move")]
    private partial void LogBridgeLost(string bridgeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} is carried by bridge {BridgeId}")]
    private partial void LogAssigned(string sessionId, string bridgeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media bridge {BridgeId} did not answer a browser join or leave")]
    private partial void LogBridgeUnreachable(Exception e, string bridgeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read session {SessionId}'s plan")]
    private partial void LogPlanUnavailable(Exception e, string sessionId);
}
