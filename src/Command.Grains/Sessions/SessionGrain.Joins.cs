using Command.Contracts;
using Command.Contracts.Regions;
using Command.Contracts.Sessions;
using Command.Contracts.Venues;

namespace Command.Grains.Sessions;

/// <summary>Venues joining a live session, and the claims on venues that joining and replacing take.</summary>
public sealed partial class SessionGrain
{
    private async Task<SessionSnapshot> JoinVenueAsync(string venueId, string actor, string action, string detail)
    {
        if (await Venue(venueId).GetAsync() is null)
        {
            throw CommandException.NotFound("Venue", venueId);
        }

        if (Floor.Find(S, venueId) is { IsActive: true })
        {
            throw CommandException.Conflict($"Venue '{venueId}' is already in session '{Id}'.");
        }

        IReadOnlyList<(string, string)> preempted = [];
        if (S.Phase == SessionPhase.Live)
        {
            preempted = await ClaimForJoinAsync(venueId);
            AddJoined(venueId, null);
        }
        else
        {
            var p = Floor.Find(S, venueId);
            if (p is null)
            {
                p = new ParticipantState { VenueId = venueId };
                S.Participants.Add(p);
            }

            p.Status = ParticipantStatus.Invited;
            p.Note = null;
            p.ReplacedBy = null;
            p.AutoReplaced = false;
            p.ReturnedAt = null;
        }

        Record(actor, action, detail);
        await CommitAsync();
        await AfterClaimsAsync(preempted);
        return Snapshot();
    }

    private async Task<IReadOnlyList<(string, string)>> ClaimForJoinAsync(string venueId)
    {
        claims.Add(venueId);
        try
        {
            var claim = await Venue(venueId).ClaimAsync(Id, S.Kind, S.Title);
            return claim.PreemptedSessionId is { } loser ? [(venueId, loser)] : [];
        }
        catch
        {
            claims.Remove(venueId);
            throw;
        }
    }

    private void AddJoined(string venueId, string? note)
    {
        var p = Floor.Find(S, venueId);
        if (p is null)
        {
            p = new ParticipantState { VenueId = venueId };
            S.Participants.Add(p);
        }

        p.Status = ParticipantStatus.Joined;
        p.Muted = false;
        p.RemoteVenues = null;
        p.ViewingVenueId = S.BroadcastVenueId == venueId ? S.ChairVenueId : S.BroadcastVenueId;
        p.ViewingFeedId = S.BroadcastFeedId;
        p.ViewingUplinkId = S.BroadcastUplinkId;
        p.Note = note;
        p.ReplacedBy = null;
        p.AutoReplaced = false;
        p.ReturnedAt = null;
    }

    /// <summary>
    /// Claims a free backup venue that serves the failed venue and lies within the authority of the
    /// session's chair venue (<see cref="Floor.RankBackups"/>). Refused as forbidden, changing nothing,
    /// when the only backups serving it lie outside that region.
    /// </summary>
    private async Task<(string BackupId, string? Preempted)> ClaimBackupAsync(string failedVenueId)
    {
        var directory = GrainFactory.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey);
        var failedRegion = (await Venue(failedVenueId).GetAsync())?.RegionCode ?? "";
        var authorityRegion = (await Venue(S.ChairVenueId).GetAsync())?.RegionCode ?? "";
        var backups = new List<(string Id, string Region)>();
        var infos = new Dictionary<string, VenueInfo>(StringComparer.Ordinal);
        foreach (var id in await directory.GetVenueIdsByKindAsync(VenueKind.Backup))
        {
            if (await Venue(id).GetAsync() is { } info)
            {
                backups.Add((id, info.RegionCode));
                infos[id] = info;
            }
        }

        var (allowed, outside) = Floor.RankBackups(new RegionHierarchy(await directory.GetRegionsAsync()), failedRegion, authorityRegion, backups);
        if (allowed.Count == 0 && outside)
        {
            throw CommandException.Forbidden(
                $"No backup venue serving '{failedVenueId}' lies within the region of the session's chair venue ({authorityRegion}); name one for the region in the topology.");
        }

        var candidates = allowed.Where(id => Floor.Find(S, id) is not { Status: ParticipantStatus.Joined }).Select(id => infos[id]).ToList();
        CommandException? last = null;
        foreach (var candidate in candidates)
        {
            try
            {
                var preempted = await ClaimForJoinAsync(candidate.Id);
                return (candidate.Id, preempted.Count > 0 ? preempted[0].Item2 : null);
            }
            catch (CommandException e) when (e.Kind == CommandErrorKind.Conflict)
            {
                last = e;
            }
        }

        throw CommandException.Conflict(
            $"No backup venue serving '{failedVenueId}' is free." + (last is null ? "" : " " + last.Message));
    }

    /// <summary>
    /// The backup action itself, shared by the chair and the automatic rule: claims the backup, releases
    /// the failed venue, applies <see cref="Floor.ReplaceWithBackup"/> and commits. Throws, changing
    /// nothing, when no backup venue serving the failed one is free.
    /// </summary>
    private async Task<string> ReplaceCoreAsync(string failedVenueId, string actor, string? automaticBecause)
    {
        var (backupId, preempted) = await ClaimBackupAsync(failedVenueId);
        await Venue(failedVenueId).ReleaseAsync(Id);
        Floor.ReplaceWithBackup(S, failedVenueId, backupId, automatic: automaticBecause is not null);
        if (automaticBecause is null)
        {
            Record(actor, "backup", $"{backupId} replaces {failedVenueId}");
        }
        else
        {
            Record(actor, "auto-backup", $"{backupId} replaces {failedVenueId} automatically: {automaticBecause}");
        }

        await CommitAsync();
        await AfterClaimsAsync(preempted is null ? [] : [(backupId, preempted)]);
        try
        {
            await Venue(failedVenueId).WatchReturnAsync(Id);
        }
        catch (Exception e)
        {
            // The replacement stands; only the notice of the venue's return is lost.
            LogReturnWatchFailed(e, Id, failedVenueId);
        }

        return backupId;
    }

    private async Task AfterClaimsAsync(IReadOnlyList<(string Venue, string Session)> preempted)
    {
        foreach (var (venueId, loser) in preempted)
        {
            try
            {
                await GrainFactory.GetGrain<ISessionGrain>(loser).PreemptVenueAsync(venueId, Id, S.Title);
            }
            catch (Exception e)
            {
                LogPreemptNoticeFailed(e, loser, venueId);
            }
        }
    }
}
