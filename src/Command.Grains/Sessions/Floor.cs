using Command.Contracts;
using Command.Contracts.Regions;
using Command.Contracts.Sessions;

namespace Command.Grains.Sessions;

/// <summary>
/// Floor control (会场控制) over a session's state: who is broadcast, who views whom, who speaks,
/// who is muted. Pure functions, so the rules are the same whatever drives them.
/// </summary>
internal static class Floor
{
    public static ParticipantState? Find(SessionState s, string venueId) =>
        s.Participants.Find(p => p.VenueId == venueId);

    public static IEnumerable<ParticipantState> Joined(SessionState s) =>
        s.Participants.Where(p => p.Status == ParticipantStatus.Joined);

    public static ParticipantState RequireJoined(SessionState s, string sessionId, string venueId)
    {
        var p = Find(s, venueId);
        if (p is null || p.Status != ParticipantStatus.Joined)
        {
            var why = p is null ? "is not in" : $"is {p.Status.ToString().ToLowerInvariant()} in";
            throw CommandException.Conflict($"Venue '{venueId}' {why} session '{sessionId}'.");
        }

        return p;
    }

    /// <summary>A feed must be attached to the session before it is routed.</summary>
    public static void RequireAttached(SessionState s, string sessionId, string feedId)
    {
        if (!s.FeedIds.Contains(feedId))
        {
            throw CommandException.Conflict($"Feed '{feedId}' is not attached to session '{sessionId}'; attach it first.");
        }
    }

    /// <summary>An uplink is a source only of the relay session bound to it.</summary>
    public static void RequireUplink(SessionState s, string sessionId, string uplinkId)
    {
        if (s.UplinkId != uplinkId)
        {
            throw CommandException.Conflict($"Uplink '{uplinkId}' is not relayed by session '{sessionId}'.");
        }
    }

    /// <summary>A source can be routed: a joined venue, a feed attached to the session, or the session's uplink.</summary>
    public static void RequireRoutable(SessionState s, string sessionId, SourceRef source)
    {
        switch (source.Kind)
        {
            case SourceKind.Feed:
                RequireAttached(s, sessionId, source.Id);
                break;
            case SourceKind.Uplink:
                RequireUplink(s, sessionId, source.Id);
                break;
            default:
                RequireJoined(s, sessionId, source.Id);
                break;
        }
    }

    /// <summary>What every venue is shown now: the broadcast feed, uplink or venue, or null.</summary>
    public static SourceRef? BroadcastSource(SessionState s) =>
        s.BroadcastFeedId is { } feed ? SourceRef.Feed(feed)
        : s.BroadcastUplinkId is { } uplink ? SourceRef.Uplink(uplink)
        : s.BroadcastVenueId is { } venue ? SourceRef.Venue(venue)
        : null;

    /// <summary>
    /// Broadcast (广播): every venue sees <paramref name="venueId"/>; the broadcast venue itself sees the chair.
    /// </summary>
    public static void Broadcast(SessionState s, string? venueId)
    {
        s.BroadcastVenueId = venueId;
        s.BroadcastFeedId = null;
        s.BroadcastUplinkId = null;
        foreach (var p in Joined(s))
        {
            p.ViewingFeedId = null;
            p.ViewingUplinkId = null;
            p.ViewingVenueId = p.VenueId == venueId
                ? (p.VenueId == s.ChairVenueId ? null : s.ChairVenueId)
                : venueId;
        }
    }

    /// <summary>Broadcast of a camera (广播监控图像): every venue, the chair included, sees the feed.</summary>
    public static void BroadcastFeed(SessionState s, string feedId) => Broadcast(s, SourceRef.Feed(feedId));

    /// <summary>Broadcast of the upper session (级联转播): every venue, the chair included, sees what the uplink relays.</summary>
    public static void BroadcastUplink(SessionState s, string uplinkId) => Broadcast(s, SourceRef.Uplink(uplinkId));

    /// <summary>
    /// Broadcast of any source. A venue is seen by every other venue and sees the chair itself (see
    /// <see cref="Broadcast(SessionState, string?)"/>); a camera or the upper session is seen by every venue, the chair included.
    /// </summary>
    public static void Broadcast(SessionState s, SourceRef source)
    {
        if (source.Kind == SourceKind.Venue)
        {
            Broadcast(s, source.Id);
            return;
        }

        s.BroadcastVenueId = null;
        s.BroadcastFeedId = source.Kind == SourceKind.Feed ? source.Id : null;
        s.BroadcastUplinkId = source.Kind == SourceKind.Uplink ? source.Id : null;
        foreach (var p in Joined(s))
        {
            View(p, source);
        }
    }

    /// <summary>Select view (选看): the venue receives the source's picture, whatever is broadcast.</summary>
    public static void View(ParticipantState viewer, SourceRef target)
    {
        viewer.ViewingVenueId = target.Kind == SourceKind.Venue ? target.Id : null;
        viewer.ViewingFeedId = target.Kind == SourceKind.Feed ? target.Id : null;
        viewer.ViewingUplinkId = target.Kind == SourceKind.Uplink ? target.Id : null;
    }

    /// <summary>The venue goes back to seeing what is broadcast (the chair, for the broadcast venue itself).</summary>
    public static void FollowBroadcast(SessionState s, ParticipantState p)
    {
        p.ViewingFeedId = s.BroadcastFeedId;
        p.ViewingUplinkId = s.BroadcastUplinkId;
        p.ViewingVenueId = s.BroadcastFeedId is not null || s.BroadcastUplinkId is not null || p.VenueId == s.BroadcastVenueId ? null : s.BroadcastVenueId;
    }

    /// <summary>Roll call (点名): the venue is unmuted and broadcast; all others but the chair are muted.</summary>
    public static void RollCall(SessionState s, string venueId)
    {
        s.SpeakerVenueId = venueId;
        foreach (var p in Joined(s))
        {
            p.Muted = p.VenueId != venueId && p.VenueId != s.ChairVenueId;
        }

        Broadcast(s, venueId);
    }

    /// <summary>The rotation polling runs through, in order; empty when polling is off.</summary>
    public static IReadOnlyList<SourceRef> Rotation(SessionState s) =>
        s.PollVenueIds is null ? [] : s.PollSources ?? [.. s.PollVenueIds.Select(SourceRef.Venue)];

    /// <summary>Starts polling through <paramref name="sources"/> from now, broadcasting the first.</summary>
    public static void StartPolling(SessionState s, IReadOnlyList<SourceRef> sources, int intervalSeconds, DateTimeOffset now)
    {
        s.PollSources = [.. sources];
        s.PollVenueIds = [.. sources.Where(r => r.Kind == SourceKind.Venue).Select(r => r.Id)];
        s.PollIntervalSeconds = intervalSeconds;
        s.PollStartedAt = now;
        Broadcast(s, sources[0]);
    }

    public static void StopPolling(SessionState s)
    {
        s.PollVenueIds = null;
        s.PollSources = null;
        s.PollIntervalSeconds = 0;
        s.PollStartedAt = default;
    }

    /// <summary>Which polled source is due now; the rotation is a function of time, so a restart resumes it.</summary>
    public static SourceRef? PollingTarget(SessionState s, DateTimeOffset now)
    {
        var rotation = Rotation(s);
        if (rotation.Count == 0 || s.PollIntervalSeconds <= 0)
        {
            return null;
        }

        var elapsed = Math.Max(0, (now - s.PollStartedAt).TotalSeconds);
        var step = (long)Math.Floor(elapsed / s.PollIntervalSeconds);
        return rotation[(int)(step % rotation.Count)];
    }

    /// <summary>Moves the broadcast to the polled source that is due; false when nothing changed.</summary>
    public static bool AdvancePolling(SessionState s, DateTimeOffset now)
    {
        var target = PollingTarget(s, now);
        if (target is null || target == BroadcastSource(s))
        {
            return false;
        }

        Broadcast(s, target);
        return true;
    }

    /// <summary>Takes a source out of the polling rotation; fewer than two left stops polling.</summary>
    private static void LeaveRotation(SessionState s, SourceRef source)
    {
        if (s.PollVenueIds is null)
        {
            return;
        }

        var rotation = Rotation(s).Where(r => r != source).ToList();
        if (rotation.Count < 2)
        {
            StopPolling(s);
            return;
        }

        s.PollSources = rotation;
        s.PollVenueIds = [.. rotation.Where(r => r.Kind == SourceKind.Venue).Select(r => r.Id)];
    }

    /// <summary>Nothing routable is broadcast any more: the chair's default, as at the start (the chair, if it is there).</summary>
    private static void BroadcastDefault(SessionState s, string? leavingVenueId)
    {
        var chairJoined = Find(s, s.ChairVenueId)?.Status == ParticipantStatus.Joined && s.ChairVenueId != leavingVenueId;
        Broadcast(s, chairJoined ? s.ChairVenueId : null);
    }

    /// <summary>A venue leaves the floor: its roles fall back to the chair, and viewers of it follow the broadcast.</summary>
    public static void Detach(SessionState s, string venueId)
    {
        if (Find(s, venueId) is { } leaving)
        {
            leaving.RemoteVenues = null;
        }

        if (s.SpeakerVenueId == venueId)
        {
            s.SpeakerVenueId = null;
        }

        LeaveRotation(s, SourceRef.Venue(venueId));
        if (s.UplinkVenueId == venueId)
        {
            s.UplinkVenueId = null;
        }

        if (s.BroadcastVenueId == venueId)
        {
            BroadcastDefault(s, venueId);
        }

        foreach (var p in Joined(s))
        {
            if (p.ViewingVenueId == venueId)
            {
                FollowBroadcast(s, p);
            }
        }
    }

    /// <summary>
    /// A feed is detached from the session: it leaves the polling rotation, a broadcast of it falls back to the
    /// chair's default as when a venue leaves, and venues viewing it follow the broadcast.
    /// </summary>
    public static void DetachFeed(SessionState s, string feedId)
    {
        s.FeedIds.Remove(feedId);
        LeaveRotation(s, SourceRef.Feed(feedId));
        if (s.BroadcastFeedId == feedId)
        {
            BroadcastDefault(s, null);
        }

        foreach (var p in Joined(s))
        {
            if (p.ViewingFeedId == feedId)
            {
                FollowBroadcast(s, p);
            }
        }
    }

    /// <summary>
    /// Which backup venues may stand in for a failed venue, best first. A backup venue serves the failed
    /// venue's region and those above it, the nearest first, a region's named backup before any other at
    /// its distance. It may enter the session only within <paramref name="authorityRegion"/>, the region
    /// of the session's chair venue: a backup is a venue like any other, and one from outside would carry
    /// the session beyond its chair's authority and, taking the chair's roles, lock its operators out.
    /// <c>Outside</c> tells whether serving backups were left out for that reason alone.
    /// </summary>
    public static (IReadOnlyList<string> Allowed, bool Outside) RankBackups(
        RegionHierarchy regions, string failedRegion, string authorityRegion, IReadOnlyList<(string Id, string Region)> backups)
    {
        var ranked = new List<(string Id, string Region, int Distance, int Named)>();
        var chain = regions.SelfAndAncestors(failedRegion).ToList();
        foreach (var (id, region) in backups)
        {
            var at = chain.FindIndex(r => r.Code == region);
            var namedAt = chain.FindIndex(r => r.BackupVenueId == id);
            if (namedAt >= 0 && (at < 0 || namedAt <= at))
            {
                ranked.Add((id, region, namedAt, 0));
            }
            else if (at >= 0)
            {
                ranked.Add((id, region, at, 1));
            }
        }

        var allowed = ranked.Where(b => regions.IsWithin(b.Region, authorityRegion))
            .OrderBy(b => b.Distance).ThenBy(b => b.Named).ThenBy(b => b.Id, StringComparer.Ordinal)
            .Select(b => b.Id)
            .ToList();
        return (allowed, allowed.Count < ranked.Count);
    }

    /// <summary>
    /// The backup venue (备用分会场) stands in for the failed one: it is joined with the failed venue's
    /// mute, view and check-in, takes every role, and the failed venue is marked replaced by it.
    /// </summary>
    public static void ReplaceWithBackup(SessionState s, string failedId, string backupId, bool automatic)
    {
        var failed = Find(s, failedId) ?? throw new InvalidOperationException($"{failedId} is not in the session.");
        var backup = Find(s, backupId);
        if (backup is null)
        {
            backup = new ParticipantState { VenueId = backupId };
            s.Participants.Add(backup);
        }

        backup.Status = ParticipantStatus.Joined;
        backup.Muted = failed.Muted;
        backup.ViewingVenueId = failed.ViewingVenueId == backupId ? null : failed.ViewingVenueId;
        backup.ViewingFeedId = failed.ViewingFeedId;
        backup.ViewingUplinkId = failed.ViewingUplinkId;
        backup.CheckedIn = failed.CheckedIn;
        backup.Note = $"replaces {failedId}";
        backup.ReplacedBy = null;
        backup.AutoReplaced = false;
        backup.ReturnedAt = null;
        failed.Status = ParticipantStatus.Replaced;
        failed.ViewingVenueId = null;
        failed.ViewingFeedId = null;
        failed.ViewingUplinkId = null;
        failed.Note = automatic ? $"replaced automatically by backup venue {backupId}" : $"replaced by backup venue {backupId}";
        failed.ReplacedBy = backupId;
        failed.AutoReplaced = automatic;
        failed.ReturnedAt = null;
        TransferRoles(s, failedId, backupId);
    }

    /// <summary>The backup venue takes every role the failed venue had.</summary>
    public static void TransferRoles(SessionState s, string failedId, string backupId)
    {
        if (s.ChairVenueId == failedId)
        {
            s.ChairVenueId = backupId;
        }

        if (s.BroadcastVenueId == failedId)
        {
            s.BroadcastVenueId = backupId;
        }

        if (s.SpeakerVenueId == failedId)
        {
            s.SpeakerVenueId = backupId;
        }

        if (s.PollVenueIds is { } polled && polled.IndexOf(failedId) is var i and >= 0)
        {
            polled[i] = backupId;
        }

        if (s.PollSources is { } sources && sources.IndexOf(SourceRef.Venue(failedId)) is var j and >= 0)
        {
            sources[j] = SourceRef.Venue(backupId);
        }

        foreach (var p in Joined(s))
        {
            if (p.ViewingVenueId == failedId)
            {
                p.ViewingVenueId = p.VenueId == backupId ? null : backupId;
            }
        }
    }
}
