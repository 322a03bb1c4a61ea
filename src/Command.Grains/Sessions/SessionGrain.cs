using System.Collections.Immutable;
using Command.Contracts;
using Command.Contracts.Feeds;
using Command.Contracts.Incidents;
using Command.Contracts.Regions;
using Command.Contracts.Sessions;
using Command.Contracts.Timeline;
using Command.Contracts.Venues;
using Command.Grains.Timeline;
using Microsoft.Extensions.Logging;

namespace Command.Grains.Sessions;

public sealed partial class SessionGrain(
    [PersistentState("session", CommandStorage.Name)] IPersistentState<SessionState> state,
    TimeProvider time,
    ITimelineStore timelines,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain, IRemindable
{
    private const int MaxVenues = 200;
    private readonly VenueClaims claims = new();
    private readonly List<TimelineEntry> unrecorded = [];
    private IGrainTimer? pollTimer;
    private SessionSummary? publishedSummary;

    private SessionState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    private DateTimeOffset Now => time.GetUtcNow();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Created && S.Phase == SessionPhase.Live && S.PollVenueIds is not null)
        {
            ArmPollTimer();
        }

        if (S.Created)
        {
            ArmAutoBackupTimer();
        }

        return Task.CompletedTask;
    }

    public async Task<SessionSnapshot> CreateAsync(CreateSessionCommand command, string actor)
    {
        if (S.Created)
        {
            throw CommandException.Conflict($"Session '{Id}' already exists.");
        }

        var venueIds = await ValidateCreateAsync(command);
        ApplyAutoBackupDefaults(command);
        var opensAt = command.ScheduledStart - TimeSpan.FromMinutes(command.CheckInLeadMinutes ?? 15);
        S.Title = command.Title.Trim();
        S.Kind = command.Kind;
        S.Phase = SessionPhase.Scheduled;
        S.ChairVenueId = command.ChairVenueId;
        S.IncidentId = command.IncidentId;
        S.ScheduleId = command.ScheduleId;
        S.Public = command.Public;
        S.Publicity = command.Public ? Publicity.Requested : Publicity.None;
        S.Record = command.Record ?? command.Kind == SessionKind.Emergency;
        S.ScheduledStart = command.ScheduledStart;
        S.ScheduledEnd = command.ScheduledEnd;
        S.CheckInOpensAt = opensAt;
        S.CheckInOpen = opensAt <= Now;
        S.Participants = [.. venueIds.Select(v => new ParticipantState { VenueId = v, Status = ParticipantStatus.Invited })];
        S.Created = true;
        Record(actor, "created", $"{S.Kind.ToString().ToLowerInvariant()} session '{S.Title}' chaired by {S.ChairVenueId} with {string.Join(", ", venueIds)}");

        IReadOnlyList<(string Venue, string Session)> preempted = [];
        try
        {
            if (command.Kind == SessionKind.Emergency && command.ScheduledStart is null)
            {
                preempted = await ClaimAndGoLiveAsync(actor, strict: true);
            }

            await CommitAsync();
        }
        catch
        {
            state.State = new SessionState();
            unrecorded.Clear();
            throw;
        }

        await AfterClaimsAsync(preempted);
        await ScheduleNextMilestoneAsync();
        if (command.IncidentId is { } incidentId)
        {
            await GrainFactory.GetGrain<IIncidentGrain>(incidentId).LinkSessionAsync(Id, actor);
        }

        return Snapshot();
    }

    public Task<SessionSnapshot> GetAsync() => Task.FromResult(Snapshot());

    public async Task<ImmutableArray<TimelineEntry>> GetTimelineAsync()
    {
        EnsureCreated();
        return [.. await timelines.ReadAsync(TimelineSource)];
    }

    public Task<bool> HoldsVenueAsync(string venueId) => Task.FromResult(
        claims.IsPending(venueId)
        || (S.Created && S.Phase == SessionPhase.Live && Floor.Find(S, venueId)?.Status == ParticipantStatus.Joined));

    public async Task<SessionSnapshot> StartAsync(string actor)
    {
        EnsureCreated();
        if (S.Phase == SessionPhase.Live)
        {
            return Snapshot();
        }

        EnsureNotEnded();
        var preempted = await ClaimAndGoLiveAsync(actor, strict: true);
        await CommitAsync();
        await AfterClaimsAsync(preempted);
        await ScheduleNextMilestoneAsync();
        return Snapshot();
    }

    public async Task<SessionSnapshot> EndAsync(string actor, string? reason = null)
    {
        EnsureCreated();
        EnsureNotEnded();
        await EndCoreAsync(actor, string.IsNullOrWhiteSpace(reason) ? "ended by the chair" : reason.Trim());
        return Snapshot();
    }

    public async Task<SessionSnapshot> AddVenueAsync(string venueId, string actor)
    {
        EnsureCreated();
        EnsureNotEnded();
        if (S.Locked)
        {
            throw CommandException.Conflict($"Session '{Id}' is locked; no venue can join until it is unlocked.");
        }

        return await JoinVenueAsync(venueId, actor, "venue-added", $"{venueId} joined");
    }

    public async Task<SessionSnapshot> RemoveVenueAsync(string venueId, string actor)
    {
        EnsureCreated();
        EnsureNotEnded();
        var p = Floor.Find(S, venueId);
        if (p is null || !p.IsActive)
        {
            throw CommandException.Conflict($"Venue '{venueId}' is not in session '{Id}'.");
        }

        if (venueId == S.ChairVenueId)
        {
            throw CommandException.Conflict($"Venue '{venueId}' chairs session '{Id}' and cannot leave it.");
        }

        if (p.Status == ParticipantStatus.Joined)
        {
            await GrainFactory.GetGrain<IVenueGrain>(venueId).ReleaseAsync(Id);
        }

        Floor.Detach(S, venueId);
        p.Status = ParticipantStatus.Left;
        p.Note = $"removed by {actor}";
        Record(actor, "venue-removed", venueId);
        await CommitAsync();
        return Snapshot();
    }

    public async Task<SessionSnapshot> BroadcastAsync(string venueId, string actor)
    {
        EnsureLive();
        Floor.RequireJoined(S, Id, venueId);
        await StopPollingCoreAsync();
        Floor.Broadcast(S, venueId);
        Record(actor, "broadcast", venueId);
        await CommitAsync();
        return Snapshot();
    }

    public async Task<SessionSnapshot> BroadcastFeedAsync(string feedId, string actor)
    {
        EnsureLive();
        Floor.RequireAttached(S, Id, feedId);
        await StopPollingCoreAsync();
        Floor.BroadcastFeed(S, feedId);
        Record(actor, "broadcast", $"feed {feedId}");
        await CommitAsync();
        return Snapshot();
    }

    public async Task<SessionSnapshot> BroadcastUplinkAsync(string uplinkId, string actor)
    {
        EnsureLive();
        Floor.RequireUplink(S, Id, uplinkId);
        await StopPollingCoreAsync();
        Floor.BroadcastUplink(S, uplinkId);
        Record(actor, "broadcast", $"uplink {uplinkId}");
        await CommitAsync();
        return Snapshot();
    }

    public Task<SessionSnapshot> ViewUplinkAsync(string venueId, string targetUplinkId, string actor) =>
        ViewSourceAsync(venueId, SourceRef.Uplink(targetUplinkId), actor);

    public async Task<SessionSnapshot> RelayUplinkAsync(string uplinkId, string actor)
    {
        EnsureCreated();
        EnsureNotEnded();
        if (S.Kind != SessionKind.Relay)
        {
            throw CommandException.Conflict($"Session '{Id}' is not a relay session.");
        }

        if (S.UplinkId == uplinkId && S.Phase == SessionPhase.Live)
        {
            // The call from above may come to a bridge that restarted and has not had the plan again yet.
            await PushPlanAsync();
            return Snapshot();
        }

        // A scheduled relay session goes live bound to the uplink in one change, so its first plan already
        // names the uplink: the bridge answers the call from above before it calls the venues, and they are
        // offered the video codec the session above settled on.
        var starting = S.Phase != SessionPhase.Live;
        IReadOnlyList<(string Venue, string Session)> preempted = starting ? await ClaimAndGoLiveAsync(actor, strict: true) : [];
        S.UplinkId = uplinkId;
        S.UplinkConnected = false;
        await StopPollingCoreAsync();
        Floor.BroadcastUplink(S, uplinkId);
        Record(actor, "relay", $"relays uplink {uplinkId}");
        await CommitAsync();
        if (starting)
        {
            await AfterClaimsAsync(preempted);
            await ScheduleNextMilestoneAsync();
        }

        return Snapshot();
    }

    public async Task<SessionSnapshot> SendUpAsync(string uplinkId, string? venueId, string actor)
    {
        EnsureLive();
        Floor.RequireUplink(S, Id, uplinkId);
        if (venueId is not null)
        {
            Floor.RequireJoined(S, Id, venueId);
        }

        if (S.UplinkVenueId == venueId)
        {
            return Snapshot();
        }

        S.UplinkVenueId = venueId;
        Record(actor, "send-up", venueId ?? "the broadcast");
        await CommitAsync();
        return Snapshot();
    }

    public async Task<SessionSnapshot> CascadeRollCallAsync(string venueId, string? remoteVenueId, string actor)
    {
        EnsureLive();
        var p = Floor.RequireJoined(S, Id, venueId);
        if (remoteVenueId is { Length: 0 or > 200 })
        {
            throw CommandException.Invalid("remoteVenueId is a venue id of the deployment below (at most 200 characters), or null.");
        }

        if (remoteVenueId is not null && p.RemoteVenues is { } roster)
        {
            // Only a roster reported over the link is checked; before one comes, the deployment below judges the id.
            var known = roster.FirstOrDefault(v => v.VenueId == remoteVenueId)
                ?? throw new CommandException(CommandErrorKind.NotFound, $"The deployment below {venueId} has no venue '{remoteVenueId}' in its roster.");
            if (!known.CanBeSentUp())
            {
                throw CommandException.Conflict($"Venue '{remoteVenueId}' of the deployment below {venueId} is {known.Status}, not joined there.");
            }
        }

        if (p.RemoteVenueId == remoteVenueId)
        {
            return Snapshot();
        }

        p.RemoteVenueId = remoteVenueId;
        Record(actor, "cascade-rollcall", remoteVenueId is null ? $"{venueId} sends its broadcast" : $"{venueId} sends {remoteVenueId}");
        await CommitAsync();
        return Snapshot();
    }

    public Task<SessionSnapshot> ViewAsync(string venueId, string targetVenueId, string actor) =>
        ViewSourceAsync(venueId, SourceRef.Venue(targetVenueId), actor);

    public Task<SessionSnapshot> ViewFeedAsync(string venueId, string targetFeedId, string actor) =>
        ViewSourceAsync(venueId, SourceRef.Feed(targetFeedId), actor);

    private async Task<SessionSnapshot> ViewSourceAsync(string venueId, SourceRef target, string actor)
    {
        EnsureLive();
        if (target == SourceRef.Venue(venueId))
        {
            throw CommandException.Invalid("A venue cannot be set to view itself.");
        }

        var viewer = Floor.RequireJoined(S, Id, venueId);
        Floor.RequireRoutable(S, Id, target);
        Floor.View(viewer, target);
        Record(actor, "view", $"{venueId} views {target}");
        await CommitAsync();
        return Snapshot();
    }

    public async Task<SessionSnapshot> RollCallAsync(string venueId, string actor)
    {
        EnsureLive();
        Floor.RequireJoined(S, Id, venueId);
        await StopPollingCoreAsync();
        Floor.RollCall(S, venueId);
        Record(actor, "rollcall", venueId);
        await CommitAsync();
        return Snapshot();
    }

    public async Task<SessionSnapshot> MuteAsync(string? venueId, bool muted, string actor)
    {
        EnsureLive();
        var targets = venueId is null
            ? [.. Floor.Joined(S).Where(p => p.VenueId != S.ChairVenueId)]
            : new List<ParticipantState> { Floor.RequireJoined(S, Id, venueId) };
        foreach (var p in targets)
        {
            p.Muted = muted;
            if (muted && S.SpeakerVenueId == p.VenueId)
            {
                S.SpeakerVenueId = null;
            }
        }

        Record(actor, muted ? "mute" : "unmute", venueId ?? "all but the chair");
        await CommitAsync();
        return Snapshot();
    }

    public Task<SessionSnapshot> PollAsync(ImmutableArray<string> venueIds, int intervalSeconds, string actor) =>
        PollSourcesAsync(venueIds.IsDefault ? [] : [.. venueIds.Select(SourceRef.Venue)], intervalSeconds, actor);

    public async Task<SessionSnapshot> PollSourcesAsync(ImmutableArray<SourceRef> sources, int intervalSeconds, string actor)
    {
        EnsureLive();
        var rotation = sources.IsDefault ? [] : sources.Distinct().ToList();
        if (rotation.Count < 2)
        {
            throw CommandException.Invalid("Polling needs at least two different sources.");
        }

        if (intervalSeconds is < 1 or > 3600)
        {
            throw CommandException.Invalid("intervalSeconds must be between 1 and 3600.");
        }

        foreach (var source in rotation)
        {
            Floor.RequireRoutable(S, Id, source);
        }

        Floor.StartPolling(S, rotation, intervalSeconds, Now);
        Record(actor, "poll", $"every {intervalSeconds}s through {string.Join(", ", rotation)}");
        await CommitAsync();
        ArmPollTimer();
        await this.RegisterOrUpdateReminder(SessionReminders.Polling, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        return Snapshot();
    }

    public async Task<SessionSnapshot> StopPollingAsync(string actor)
    {
        EnsureLive();
        if (S.PollVenueIds is null)
        {
            return Snapshot();
        }

        await StopPollingCoreAsync();
        Record(actor, "poll-stopped", "");
        await CommitAsync();
        return Snapshot();
    }

    public async Task<SessionSnapshot> LockAsync(bool locked, string actor)
    {
        EnsureCreated();
        EnsureNotEnded();
        if (S.Locked == locked)
        {
            return Snapshot();
        }

        S.Locked = locked;
        Record(actor, locked ? "locked" : "unlocked", "");
        await CommitAsync();
        return Snapshot();
    }

    public async Task<SessionSnapshot> PublishAsync(bool approved, string actor)
    {
        EnsureCreated();
        var current = CurrentPublicity;
        if (current == Publicity.None)
        {
            throw CommandException.Conflict($"Session '{Id}' was not created as public; there is nothing to approve.");
        }

        var decided = approved ? Publicity.Approved : Publicity.Refused;
        if (current == decided)
        {
            return Snapshot();
        }

        S.Publicity = decided;
        Record(actor, approved ? "publicity-approved" : current == Publicity.Approved ? "publicity-withdrawn" : "publicity-refused", "");
        await CommitAsync();
        return Snapshot();
    }

    public async Task<SessionSnapshot> AttachFeedAsync(string feedId, string actor)
    {
        EnsureCreated();
        EnsureNotEnded();
        if (await GrainFactory.GetGrain<IFeedGrain>(feedId).GetAsync() is not { } feed)
        {
            throw CommandException.NotFound("Feed", feedId);
        }

        if (S.FeedIds.Contains(feedId))
        {
            return Snapshot();
        }

        S.FeedIds.Add(feedId);
        planFeeds.Remove(feedId);
        Record(actor, "feed-attached", $"{feed.Id} ({feed.Name}, {feed.Owner})");
        await CommitAsync();
        return Snapshot();
    }

    public async Task<SessionSnapshot> DetachFeedAsync(string feedId, string actor)
    {
        EnsureCreated();
        EnsureNotEnded();
        if (!S.FeedIds.Contains(feedId))
        {
            throw CommandException.NotFound("Feed", feedId);
        }

        var wasPolling = S.PollVenueIds is not null;
        Floor.DetachFeed(S, feedId);
        planFeeds.Remove(feedId);
        if (wasPolling && S.PollVenueIds is null)
        {
            pollTimer?.Dispose();
            pollTimer = null;
            await UnregisterAsync(SessionReminders.Polling);
        }

        Record(actor, "feed-detached", feedId);
        await CommitAsync();
        return Snapshot();
    }

    public async Task<SessionSnapshot> ReplaceWithBackupAsync(string failedVenueId, string actor)
    {
        EnsureLive();
        Floor.RequireJoined(S, Id, failedVenueId);
        await ReplaceCoreAsync(failedVenueId, actor, automaticBecause: null);
        return Snapshot();
    }

    public async Task<SessionSnapshot> CheckInAsync(string venueId, string actor)
    {
        EnsureCreated();
        EnsureNotEnded();
        var p = Floor.Find(S, venueId);
        if (p is null || !p.IsActive)
        {
            throw CommandException.Conflict($"Venue '{venueId}' is not in session '{Id}'.");
        }

        if (S.Phase == SessionPhase.Scheduled && S.CheckInOpensAt is { } opens && !S.CheckInOpen)
        {
            throw CommandException.Conflict($"Check-in for session '{Id}' opens at {opens:u}.");
        }

        if (p.CheckedIn)
        {
            return Snapshot();
        }

        p.CheckedIn = true;
        Record(actor, "checked-in", venueId);
        await CommitAsync();
        return Snapshot();
    }

    public async Task PreemptVenueAsync(string venueId, string emergencySessionId, string emergencyTitle)
    {
        if (!S.Created || Floor.Find(S, venueId) is not { Status: ParticipantStatus.Joined } p)
        {
            return;
        }

        Floor.Detach(S, venueId);
        p.Status = ParticipantStatus.Preempted;
        p.ViewingVenueId = null;
        p.Note = $"taken by emergency session '{emergencyTitle}' ({emergencySessionId}) at {Now:u}";
        Record("system", "preempted", $"{venueId}: {p.Note}");
        await CommitAsync();
    }

    public async Task<SessionSnapshot> KeepAfterIncidentClosedAsync(string incidentId, string actor, string reason)
    {
        EnsureCreated();
        EnsureNotEnded();
        Record(actor, "incident-closed", $"incident {incidentId} closed; this session keeps running: {reason}");
        await CommitAsync();
        return Snapshot();
    }

    public async Task<SessionSnapshot> EscalateAsync(string commandVenueId, string actor, string reason)
    {
        EnsureLive();
        IReadOnlyList<(string, string)> preempted = [];
        if (Floor.Find(S, commandVenueId) is not { Status: ParticipantStatus.Joined })
        {
            preempted = await ClaimForJoinAsync(commandVenueId);
            AddJoined(commandVenueId, "joined on escalation");
        }

        var previousChair = S.ChairVenueId;
        S.ChairVenueId = commandVenueId;
        Record(actor, "escalated", $"{reason}; chair {previousChair} → {commandVenueId}");
        await CommitAsync();
        await AfterClaimsAsync(preempted);
        return Snapshot();
    }
}
