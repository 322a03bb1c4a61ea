using Command.Contracts;
using Command.Contracts.Incidents;
using Command.Contracts.Realtime;
using Command.Contracts.Regions;
using Command.Contracts.Sessions;
using Command.Contracts.Timeline;
using Command.Contracts.Venues;
using Command.Grains.Realtime;
using Microsoft.Extensions.Logging;

namespace Command.Grains.Sessions;

/// <summary>Going live and ending, persistence, reminders and polling: the machinery behind the floor commands.</summary>
public sealed partial class SessionGrain
{
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        switch (reminderName)
        {
            case SessionReminders.Milestone:
                await OnMilestoneAsync();
                break;
            case SessionReminders.Polling when S.Created && S.Phase == SessionPhase.Live && S.PollVenueIds is not null:
                ArmPollTimer();
                break;
            default:
                await UnregisterAsync(reminderName);
                break;
        }
    }

    private async Task OnMilestoneAsync()
    {
        if (!S.Created)
        {
            await UnregisterAsync(SessionReminders.Milestone);
            return;
        }

        var now = Now;
        if (S.Phase == SessionPhase.Scheduled && !S.CheckInOpen && S.CheckInOpensAt <= now)
        {
            S.CheckInOpen = true;
            Record("schedule", "check-in-opened", $"check-in open until {S.ScheduledStart:u}");
            await CommitAsync();
        }

        if (S.Phase == SessionPhase.Scheduled && S.ScheduledStart <= now)
        {
            var preempted = await ClaimAndGoLiveAsync("schedule", strict: false);
            await CommitAsync();
            await AfterClaimsAsync(preempted);
        }
        else if (S.Phase == SessionPhase.Live && S.ScheduledEnd <= now)
        {
            await EndCoreAsync("schedule", "scheduled end reached");
        }

        await ScheduleNextMilestoneAsync();
    }

    private async Task ScheduleNextMilestoneAsync()
    {
        DateTimeOffset? due = S.Phase switch
        {
            SessionPhase.Scheduled when S.ScheduledStart is not null =>
                !S.CheckInOpen && S.CheckInOpensAt is { } opens ? opens : S.ScheduledStart,
            SessionPhase.Live => S.ScheduledEnd,
            _ => null,
        };

        if (due is null)
        {
            await UnregisterAsync(SessionReminders.Milestone);
            return;
        }

        var dueIn = due.Value - Now;
        await this.RegisterOrUpdateReminder(
            SessionReminders.Milestone,
            dueIn < TimeSpan.Zero ? TimeSpan.Zero : dueIn,
            TimeSpan.FromMinutes(1));
    }

    private async Task UnregisterAsync(string reminderName)
    {
        if (await this.GetReminder(reminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>
    /// Claims every invited venue and goes live. Strict: all or nothing, the first conflict is thrown.
    /// Lenient (automatic start): a venue that is live elsewhere is marked busy and the rest go ahead.
    /// </summary>
    private async Task<IReadOnlyList<(string Venue, string Session)>> ClaimAndGoLiveAsync(string actor, bool strict)
    {
        var invited = S.Participants.Where(p => p.Status == ParticipantStatus.Invited).ToList();
        if (strict)
        {
            foreach (var p in invited)
            {
                await Venue(p.VenueId).EnsureClaimableAsync(Id, S.Kind);
            }
        }

        var granted = new List<ParticipantState>();
        var preempted = new List<(string, string)>();
        try
        {
            foreach (var p in invited)
            {
                claims.Add(p.VenueId);
                try
                {
                    var claim = await Venue(p.VenueId).ClaimAsync(Id, S.Kind, S.Title);
                    granted.Add(p);
                    if (claim.PreemptedSessionId is { } loser)
                    {
                        preempted.Add((p.VenueId, loser));
                    }
                }
                catch (CommandException e) when (!strict && e.Kind == CommandErrorKind.Conflict)
                {
                    claims.Remove(p.VenueId);
                    p.Status = ParticipantStatus.Busy;
                    p.Note = e.Message;
                }
            }
        }
        catch
        {
            claims.Clear();
            foreach (var p in granted)
            {
                await Venue(p.VenueId).ReleaseAsync(Id);
            }

            throw;
        }

        foreach (var p in granted)
        {
            p.Status = ParticipantStatus.Joined;
            p.Note = null;
        }

        S.Phase = SessionPhase.Live;
        S.StartedAt = Now;
        S.SpeakerVenueId = null;
        var chairJoined = Floor.Find(S, S.ChairVenueId)?.Status == ParticipantStatus.Joined;
        Floor.Broadcast(S, chairJoined ? S.ChairVenueId : Floor.Joined(S).FirstOrDefault()?.VenueId);
        var busy = S.Participants.Where(p => p.Status == ParticipantStatus.Busy).Select(p => p.VenueId).ToList();
        var recording = S.Record ? BeginRecording(actor, onTimeline: false) : null;
        Record(actor, "started", (busy.Count == 0 ? "all venues joined" : $"busy elsewhere: {string.Join(", ", busy)}") + (recording is null ? "" : $"; recording {recording}"));
        return preempted;
    }

    private async Task EndCoreAsync(string actor, string reason)
    {
        foreach (var p in S.Participants.Where(p => p.IsActive))
        {
            if (p.Status == ParticipantStatus.Joined)
            {
                await Venue(p.VenueId).ReleaseAsync(Id);
            }

            p.Status = ParticipantStatus.Left;
            p.ViewingVenueId = null;
            p.ViewingFeedId = null;
            p.ViewingUplinkId = null;
            p.RemoteVenues = null;
        }

        await StopPollingCoreAsync();
        EndRecording(actor, "the session ended", onTimeline: false);
        S.Phase = SessionPhase.Ended;
        S.EndedAt = Now;
        S.EndReason = reason;
        S.BroadcastVenueId = null;
        S.BroadcastFeedId = null;
        S.BroadcastUplinkId = null;
        S.UplinkConnected = false;
        S.SpeakerVenueId = null;
        S.DownLegs.Clear();
        Record(actor, "ended", reason);
        await CommitAsync();
        ArmAutoBackupTimer();
        await UnregisterAsync(SessionReminders.Milestone);
    }

    private async Task StopPollingCoreAsync()
    {
        pollTimer?.Dispose();
        pollTimer = null;
        if (S.PollVenueIds is null)
        {
            return;
        }

        Floor.StopPolling(S);
        await UnregisterAsync(SessionReminders.Polling);
    }

    private void ArmPollTimer()
    {
        pollTimer?.Dispose();
        var interval = TimeSpan.FromSeconds(S.PollIntervalSeconds);
        var elapsed = Now - S.PollStartedAt;
        var due = interval - TimeSpan.FromTicks(Math.Max(0, elapsed.Ticks) % interval.Ticks);
        pollTimer = this.RegisterGrainTimer(
            static (grain, _) => grain.OnPollTickAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = due, Period = interval, KeepAlive = true });
    }

    private async Task OnPollTickAsync()
    {
        if (!S.Created || S.Phase != SessionPhase.Live || S.PollVenueIds is null)
        {
            pollTimer?.Dispose();
            pollTimer = null;
            return;
        }

        // Timers may fire a hair early; look slightly ahead so a tick never lands on the previous slot.
        if (Floor.AdvancePolling(S, Now + TimeSpan.FromMilliseconds(200)))
        {
            await CommitAsync();
        }
    }

    private string TimelineSource => $"session:{Id}";

    /// <summary>Persists the state, then records the actions that led to it on the timeline, then announces it.</summary>
    private async Task CommitAsync()
    {
        S.Version++;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            // The in-memory state is ahead of the store; drop it so the next call reloads what was persisted.
            LogWriteFailed(e, Id);
            unrecorded.Clear();
            DeactivateOnIdle();
            throw;
        }
        finally
        {
            claims.Clear();
        }

        var entries = unrecorded.ToArray();
        unrecorded.Clear();

        // The timeline, and the recording, list and bridge that follow the state, are written side by side: the
        // change is announced once its timeline lines are in (a page reading them on the push finds them), and the
        // call returns once all are done. The follow-ups log their own failures, so only the timeline's can throw.
        var timeline = entries.Length > 0 ? timelines.AppendAsync(TimelineSource, entries) : Task.CompletedTask;
        var followUps = FollowUpAsync(entries);
        try
        {
            await timeline;
            Changes.Publish(GrainFactory, CommandEvent.For(Snapshot()));
        }
        finally
        {
            await followUps;
        }
    }

    private async Task FollowUpAsync(TimelineEntry[] entries)
    {
        await Task.WhenAll(PublishSummaryAsync(), SyncRecordingThenPlanAsync(entries));
    }

    /// <summary>A recording starting is created before the plan naming it reaches the bridge, which reports to it.</summary>
    private async Task SyncRecordingThenPlanAsync(TimelineEntry[] entries)
    {
        await SyncRecordingAsync(entries);
        await PushPlanAsync();
    }

    /// <summary>Tells the session index when this session's line in the list has changed.</summary>
    private async Task PublishSummaryAsync()
    {
        var summary = new SessionSummary(
            Id, S.Title, S.Kind, S.Phase, S.ChairVenueId, S.ScheduledStart, S.Public,
            [.. S.Participants.Select(p => p.VenueId).Prepend(S.ChairVenueId).Distinct(StringComparer.Ordinal)]);
        if (publishedSummary is not null
            && publishedSummary with { VenueIds = summary.VenueIds } == summary
            && publishedSummary.VenueIds.SequenceEqual(summary.VenueIds))
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<ISessionIndexGrain>(ISessionIndexGrain.DefaultKey).UpsertAsync(summary);
            publishedSummary = summary;
        }
        catch (Exception e)
        {
            // The list is derived from the session; the next change publishes it again.
            LogSummaryFailed(e, Id);
        }
    }

    private async Task<List<string>> ValidateCreateAsync(CreateSessionCommand command)
    {
        if (string.IsNullOrWhiteSpace(command.Title) || command.Title.Trim().Length > 200)
        {
            throw CommandException.Invalid("title is required (at most 200 characters).");
        }

        if (!Enum.IsDefined(command.Kind))
        {
            throw CommandException.Invalid("kind must be emergency, meeting or relay.");
        }

        if (string.IsNullOrWhiteSpace(command.ChairVenueId))
        {
            throw CommandException.Invalid("chairVenueId is required.");
        }

        var ids = new List<string> { command.ChairVenueId };
        foreach (var v in command.VenueIds.IsDefault ? [] : command.VenueIds)
        {
            if (string.IsNullOrWhiteSpace(v))
            {
                throw CommandException.Invalid("venueIds must not contain empty ids.");
            }

            if (!ids.Contains(v))
            {
                ids.Add(v);
            }
        }

        if (ids.Count > MaxVenues)
        {
            throw CommandException.Invalid($"A session takes at most {MaxVenues} venues.");
        }

        foreach (var id in ids)
        {
            if (await Venue(id).GetAsync() is null)
            {
                throw CommandException.NotFound("Venue", id);
            }
        }

        var now = Now;
        if (command.ScheduledStart is { } start && start <= now)
        {
            throw CommandException.Invalid("scheduledStart must be in the future.");
        }

        if (command.ScheduledEnd is { } end && end <= (command.ScheduledStart ?? now))
        {
            throw CommandException.Invalid("scheduledEnd must be after the start.");
        }

        if (command.CheckInLeadMinutes is < 0 or > 1440)
        {
            throw CommandException.Invalid("checkInLeadMinutes must be between 0 and 1440.");
        }

        if (command.IncidentId is { } incidentId)
        {
            await GrainFactory.GetGrain<IIncidentGrain>(incidentId).EnsureOpenAsync();
        }

        return ids;
    }

    private IVenueGrain Venue(string venueId) => GrainFactory.GetGrain<IVenueGrain>(venueId);

    private void Record(string actor, string action, string detail) =>
        unrecorded.Add(new TimelineEntry(Now, actor, action, detail, TimelineSource));

    private void EnsureCreated()
    {
        if (!S.Created)
        {
            throw CommandException.NotFound("Session", Id);
        }
    }

    private void EnsureNotEnded()
    {
        if (S.Phase == SessionPhase.Ended)
        {
            throw CommandException.Conflict($"Session '{Id}' has ended; {S.EndReason}.");
        }
    }

    private void EnsureLive()
    {
        EnsureCreated();
        EnsureNotEnded();
        if (S.Phase != SessionPhase.Live)
        {
            throw CommandException.Conflict($"Session '{Id}' is scheduled, not live; start it first.");
        }
    }

    private SessionSnapshot Snapshot()
    {
        EnsureCreated();
        return new SessionSnapshot(
            Id, S.Title, S.Kind, S.Phase, S.ChairVenueId, S.BroadcastVenueId, S.SpeakerVenueId, S.Locked, S.Public,
            S.IncidentId, S.ScheduleId, S.ScheduledStart, S.ScheduledEnd, S.CheckInOpensAt, S.CheckInOpen,
            S.StartedAt, S.EndedAt, S.EndReason,
            S.PollVenueIds is { } polled ? Polling(polled) : null,
            [.. S.FeedIds],
            [.. S.Participants.Select(p => p.ToSnapshot(MediaOf(p.VenueId)))],
            S.Version,
            new AutoBackupSetting(S.AutoBackupEnabled, S.AutoBackupAfterSeconds))
        {
            BroadcastFeedId = S.BroadcastFeedId,
            UplinkId = S.UplinkId,
            UplinkConnected = S.UplinkConnected,
            BroadcastUplinkId = S.BroadcastUplinkId,
            UplinkVenueId = S.UplinkVenueId,
            Record = S.Record,
            RecordingId = S.RecordingId,
            Publicity = CurrentPublicity,
        };
    }

    private Publicity CurrentPublicity => S.Publicity == Publicity.None && S.Public ? Publicity.Requested : S.Publicity;

    private PollingInfo Polling(List<string> venueIds)
    {
        var rotation = Floor.Rotation(S);
        return new PollingInfo([.. venueIds], S.PollIntervalSeconds, S.PollStartedAt)
        {
            FeedIds = [.. rotation.Where(r => r.Kind == SourceKind.Feed).Select(r => r.Id)],
            Sources = [.. rotation],
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell session {Loser} that venue {VenueId} was preempted")]
    private partial void LogPreemptNoticeFailed(Exception e, string loser, string venueId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not update the session list for {SessionId}")]
    private partial void LogSummaryFailed(Exception e, string sessionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Persisting session {SessionId} failed; the activation will reload")]
    private partial void LogWriteFailed(Exception e, string sessionId);
}
