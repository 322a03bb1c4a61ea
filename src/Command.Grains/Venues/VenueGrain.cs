using Command.Contracts;
using Command.Contracts.Sessions;
using Command.Contracts.Realtime;
using Command.Contracts.Venues;
using Command.Grains.Realtime;

namespace Command.Grains.Venues;

public sealed class VenueGrain(
    [PersistentState("venue", CommandStorage.Name)] IPersistentState<VenueState> state) : Grain, IVenueGrain
{
    private VenueState S => state.State;

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

    public async Task<VenueInfo> SetPresenceAsync(bool online)
    {
        EnsureDefined();
        if (S.Online != online)
        {
            S.Online = online;
            await CommitAsync();
        }

        return Snapshot();
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

    private async Task CommitAsync()
    {
        S.Version++;
        await state.WriteStateAsync();
        Changes.Publish(GrainFactory, CommandEvent.For(Snapshot()));
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
        var status = S.SessionId is not null ? VenueStatus.InSession
            : S.Online ? VenueStatus.Online
            : VenueStatus.Offline;
        return new VenueInfo(d.Id, d.Name, d.RegionCode, d.Kind, status, d.SipUser, S.SessionId, S.Version);
    }
}
