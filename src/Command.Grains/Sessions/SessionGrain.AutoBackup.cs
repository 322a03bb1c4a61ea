using Command.Contracts;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using Command.Contracts.Timeline;
using Command.Contracts.Venues;
using Microsoft.Extensions.Logging;

namespace Command.Grains.Sessions;

/// <summary>
/// Automatic backup: the bridge's leg reports start and stop each venue's outage clock, kept in the
/// session state; one grain timer wakes when the oldest outage reaches the session's limit and does
/// what the chair's backup action does. A returning venue is announced, never swapped back silently.
/// </summary>
public sealed partial class SessionGrain
{
    private IGrainTimer? autoBackupTimer;
    private DateTimeOffset? autoBackupDueAt;

    public async Task<SessionSnapshot> SetAutoBackupAsync(bool enabled, int? afterSeconds, string actor)
    {
        EnsureCreated();
        EnsureNotEnded();
        AutoBackup.Validate(afterSeconds);
        var after = afterSeconds ?? S.AutoBackupAfterSeconds;
        if (S.AutoBackupEnabled == enabled && S.AutoBackupAfterSeconds == after)
        {
            return Snapshot();
        }

        S.AutoBackupEnabled = enabled;
        S.AutoBackupAfterSeconds = after;
        foreach (var down in S.DownLegs)
        {
            // A new setting gets a fresh look at outages the old one gave up on.
            down.Noted = false;
        }

        Record(actor, "auto-backup-set", enabled ? $"on: the backup venue takes over a leg down for {after}s" : "off");
        await CommitAsync();
        ArmAutoBackupTimer();
        return Snapshot();
    }

    private void ApplyAutoBackupDefaults(CreateSessionCommand command)
    {
        AutoBackup.Validate(command.AutoBackupAfterSeconds);
        S.AutoBackupEnabled = command.AutoBackupEnabled ?? AutoBackup.DefaultEnabled(command.Kind);
        S.AutoBackupAfterSeconds = command.AutoBackupAfterSeconds ?? AutoBackup.DefaultAfterSeconds;
    }

    /// <summary>Starts or stops a joined venue's outage clock; persisted only when the set of outages changes.</summary>
    private async Task TrackLegAsync(string venueId, LegState state, DateTimeOffset at)
    {
        var pruned = AutoBackup.Prune(S);
        var changed = AutoBackup.Track(S, venueId, state, at > Now ? Now : at);
        if (pruned || changed)
        {
            await SaveOutagesAsync();
            ArmAutoBackupTimer();
        }
    }

    public async Task VenueReachableAsync(string venueId, DateTimeOffset at)
    {
        try
        {
            await NoteReturnAsync(new LegReport(Id, venueId, LegState.Connected, "terminal registered again", at));
        }
        catch (Exception e)
        {
            LogReturnNotRecorded(e, Id, venueId);
        }
    }

    /// <summary>
    /// A replaced venue's leg is connected again, or its terminal registered again: the backup stays,
    /// and the chair is told once. True when the report was about a replaced venue.
    /// </summary>
    private async Task<bool> NoteReturnAsync(LegReport report)
    {
        if (!S.Created || S.Phase != SessionPhase.Live || Floor.Find(S, report.VenueId) is not { Status: ParticipantStatus.Replaced } p)
        {
            return false;
        }

        if (report.State != LegState.Connected || p.ReturnedAt is not null || p.ReplacedBy is not { } backupId)
        {
            return true;
        }

        p.ReturnedAt = report.At;
        p.Note = $"back since {report.At:u}; backup venue {backupId} stays until the chair decides";
        Record("system", "venue-back", $"venue {report.VenueId} is back; the backup {backupId} stays until the chair decides");
        await CommitAsync();
        return true;
    }

    private void ArmAutoBackupTimer()
    {
        var next = AutoBackup.NextDue(S);
        if (next == autoBackupDueAt && (next is null || autoBackupTimer is not null))
        {
            return;
        }

        autoBackupDueAt = next;
        if (next is not { } due)
        {
            autoBackupTimer?.Dispose();
            autoBackupTimer = null;
            return;
        }

        var dueIn = due - Now;
        if (dueIn < TimeSpan.Zero)
        {
            dueIn = TimeSpan.Zero;
        }

        if (autoBackupTimer is null)
        {
            autoBackupTimer = this.RegisterGrainTimer(
                static (grain, _) => grain.OnAutoBackupTickAsync(),
                this,
                new GrainTimerCreationOptions { DueTime = dueIn, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
        }
        else
        {
            autoBackupTimer.Change(dueIn, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task OnAutoBackupTickAsync()
    {
        autoBackupDueAt = null;
        try
        {
            var now = Now;
            foreach (var down in AutoBackup.Due(S, now))
            {
                // An earlier takeover in this tick may have changed the floor.
                if (AutoBackup.Pending(S).Contains(down))
                {
                    await TakeOverAsync(down, now);
                }
            }
        }
        catch (Exception e)
        {
            LogAutoBackupFailed(e, Id);
        }

        ArmAutoBackupTimer();
    }

    private async Task TakeOverAsync(LegDownState down, DateTimeOffset now)
    {
        var why = AutoBackup.Why(S, down, now);
        if ((await Venue(down.VenueId).GetAsync())?.Kind == VenueKind.Backup)
        {
            await GiveUpAsync(down, "auto-backup-skipped", $"{why}; {down.VenueId} is itself a backup venue, so the chair decides");
            return;
        }

        try
        {
            await ReplaceCoreAsync(down.VenueId, "system", why);
        }
        catch (CommandException e) when (e.Kind is CommandErrorKind.Conflict or CommandErrorKind.Forbidden)
        {
            await GiveUpAsync(down, "auto-backup-failed", $"{why}; auto-backup could not act: {e.Message}");
            return;
        }

        if (AutoBackup.Prune(S))
        {
            await SaveOutagesAsync();
        }
    }

    /// <summary>Says once, on the timeline, that the rule could not act on this outage; it does not try again until the leg recovers.</summary>
    private async Task GiveUpAsync(LegDownState down, string action, string detail)
    {
        down.Noted = true;
        await SaveOutagesAsync();
        await timelines.AppendAsync(TimelineSource, [new TimelineEntry(Now, "system", action, detail, TimelineSource)]);
    }

    /// <summary>Outages are not part of the snapshot, so they are written without a new version.</summary>
    private async Task SaveOutagesAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            // The bridge reports the legs again; an outage clock lost here restarts at the next report.
            LogOutagesNotSaved(e, Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Automatic backup check failed for session {SessionId}")]
    private partial void LogAutoBackupFailed(Exception e, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not persist session {SessionId}'s leg outages")]
    private partial void LogOutagesNotSaved(Exception e, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record in session {SessionId} that venue {VenueId} is back")]
    private partial void LogReturnNotRecorded(Exception e, string sessionId, string venueId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Venue {VenueId} could not be asked to say when it is back for session {SessionId}")]
    private partial void LogReturnWatchFailed(Exception e, string sessionId, string venueId);
}
