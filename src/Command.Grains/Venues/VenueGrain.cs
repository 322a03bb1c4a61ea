using Command.Contracts;
using Command.Contracts.Sessions;
using Command.Contracts.Realtime;
using Command.Contracts.Venues;
using Command.Grains.Realtime;

namespace Command.Grains.Venues;

/// <summary>
/// A venue: its definition and claim are persisted; its status follows the live facts its bridges
/// report (<see cref="VenueLiveFacts"/>), and every change of status is published with a new version.
/// </summary>
public sealed class VenueGrain(
    [PersistentState("venue", CommandStorage.Name)] IPersistentState<VenueState> state,
    TimeProvider time) : Grain, IVenueGrain
{
    private readonly VenueLiveFacts live = new();
    private string? shownBridge;
    private IGrainTimer? lapse;

    private VenueState S => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A venue published online or in-session before it was deactivated knows nothing now: say so at once.
        if (S.Definition is not null && S.Shown != Status())
        {
            ScheduleFollow(TimeSpan.Zero);
        }

        return Task.CompletedTask;
    }

    public Task<VenueInfo?> GetAsync() => Task.FromResult(S.Definition is null ? null : Snapshot());

    public async Task DefineAsync(VenueDefinition definition)
    {
        if (definition.Id != this.GetPrimaryKeyString())
        {
            throw CommandException.Invalid($"Definition for '{definition.Id}' sent to venue '{this.GetPrimaryKeyString()}'.");
        }

        if (definition == S.Definition)
        {
            return;
        }

        S.Definition = definition;
        await CommitAsync();
    }

    public async Task<VenueInfo> ReportRegistrationAsync(VenueRegistration registration)
    {
        EnsureDefined();
        live.Apply(registration, time.GetUtcNow());
        await FollowFactsAsync();
        return Snapshot();
    }

    public async Task<VenueInfo> ReportLegAsync(VenueLeg leg)
    {
        EnsureDefined();
        live.Apply(leg, time.GetUtcNow());
        await FollowFactsAsync();
        return Snapshot();
    }

    public async Task WatchReturnAsync(string sessionId)
    {
        EnsureDefined();
        if (!S.ReturnWatchers.Contains(sessionId, StringComparer.Ordinal))
        {
            S.ReturnWatchers.Add(sessionId);
            await state.WriteStateAsync();
        }
    }

    public async Task<VenueClaim> ClaimAsync(string sessionId, SessionKind kind, string title)
    {
        if (S.SessionId == sessionId)
        {
            EnsureDefined();
            return new VenueClaim(this.GetPrimaryKeyString(), null);
        }

        var preempted = await CheckClaimAsync(kind);
        S.SessionId = sessionId;
        S.SessionKind = kind;
        S.SessionTitle = title;
        await CommitAsync();
        return new VenueClaim(this.GetPrimaryKeyString(), preempted);
    }

    public async Task EnsureClaimableAsync(string sessionId, SessionKind kind)
    {
        if (S.SessionId != sessionId)
        {
            await CheckClaimAsync(kind);
        }
    }

    public async Task ReleaseAsync(string sessionId)
    {
        if (S.SessionId != sessionId)
        {
            return;
        }

        S.SessionId = null;
        S.SessionKind = null;
        S.SessionTitle = null;
        await CommitAsync();
    }

    /// <summary>Returns the routine session that would yield to an emergency, or throws when the venue is held.</summary>
    private async Task<string?> CheckClaimAsync(SessionKind kind)
    {
        EnsureDefined();
        if (S.SessionId is not { } holder || !await HolderStillHoldsAsync(holder))
        {
            return null;
        }

        var holderIsRoutine = S.SessionKind is not Contracts.Sessions.SessionKind.Emergency;
        if (kind != Contracts.Sessions.SessionKind.Emergency || !holderIsRoutine)
        {
            throw CommandException.Conflict(
                $"Venue '{this.GetPrimaryKeyString()}' is live in session '{holder}' ({S.SessionTitle}).");
        }

        return holder;
    }

    // A session that failed between claiming and persisting leaves a claim it no longer knows about;
    // asking it (an always-interleaved read) lets the venue recover instead of staying blocked.
    private async Task<bool> HolderStillHoldsAsync(string holder) =>
        await GrainFactory.GetGrain<ISessionGrain>(holder).HoldsVenueAsync(this.GetPrimaryKeyString());

    /// <summary>Drops lapsed facts, publishes the status if it changed, and wakes again when the next fact lapses.</summary>
    private async Task FollowFactsAsync()
    {
        live.Lapse(time.GetUtcNow());
        if (live.NextLapse is { } next)
        {
            ScheduleFollow(next - time.GetUtcNow());
        }

        if (S.Definition is not null && (S.Shown != Status() || shownBridge != live.Bridge))
        {
            var cameBack = S.Shown == VenueStatus.Offline && S.ReturnWatchers.Count > 0;
            var watchers = cameBack ? S.ReturnWatchers.ToList() : [];
            if (cameBack)
            {
                S.ReturnWatchers.Clear();
            }

            await CommitAsync();

            // One-way, so a session busy calling this venue never waits on it.
            foreach (var session in watchers)
            {
                GrainFactory.GetGrain<ISessionGrain>(session).VenueReachableAsync(this.GetPrimaryKeyString(), time.GetUtcNow()).Ignore();
            }
        }
    }

    private void ScheduleFollow(TimeSpan due)
    {
        var at = due < TimeSpan.Zero ? TimeSpan.Zero : due + TimeSpan.FromMilliseconds(20);
        if (lapse is null)
        {
            lapse = this.RegisterGrainTimer(FollowFactsAsync, new GrainTimerCreationOptions(at, Timeout.InfiniteTimeSpan));
        }
        else
        {
            lapse.Change(at, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task CommitAsync()
    {
        S.Version++;
        S.Shown = Status();
        shownBridge = live.Bridge;
        await state.WriteStateAsync();
        Changes.Publish(GrainFactory, CommandEvent.For(Snapshot()));
    }

    private VenueStatus Status()
    {
        live.Lapse(time.GetUtcNow());
        return VenueStatusRule.Of(S.SessionId, live.ConnectedSessions, live.Registered);
    }

    private void EnsureDefined()
    {
        if (S.Definition is null)
        {
            throw CommandException.NotFound("Venue", this.GetPrimaryKeyString());
        }
    }

    private VenueInfo Snapshot()
    {
        var d = S.Definition!;
        return new VenueInfo(d.Id, d.Name, d.RegionCode, d.Kind, Status(), d.SipUser, S.SessionId, S.Version, live.Bridge);
    }
}
