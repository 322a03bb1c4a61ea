using System.Collections.Immutable;
using Command.Contracts.Media;
using Command.Contracts.Sessions;

namespace Command.Grains.Sessions;

/// <summary>
/// Turns floor state into what the bridge carries: every joined venue, heard unless muted, and
/// receiving the video of the source it views: a venue, an attached camera feed, or the upper session
/// relayed on the session's uplink while that call is connected. A venue with no explicit view sees the
/// broadcast source, or the chair when nothing is broadcast; no venue is ever sent its own picture.
/// While live, the plan lists the attached feeds for the bridge to ingest, with their credentials as
/// <paramref name="feeds"/> gives them (decrypted). A relay session's plan names its uplink, which is
/// sent the venue the session above roll-called (级联点名) while it is joined, else the session's own broadcast
/// (never the upper picture back up): the broadcast feed or venue, else the chair, else the first joined venue.
/// A venue that is a deployment below carries the venue of its own it is asked to send up. The uplink also carries
/// the relay session's roster for the bridge to report up the call: every venue with its name as <paramref name="names"/>
/// gives it (its id when unknown), its participant status, and whether it is the venue sent up.
/// </summary>
internal static class MediaRoutes
{
    public static ConferencePlan Plan(
        string sessionId, SessionState s, IReadOnlyDictionary<string, PlanFeed>? feeds = null, IReadOnlyDictionary<string, string>? names = null)
    {
        var live = s.Phase == SessionPhase.Live;
        var attached = live && feeds is not null
            ? s.FeedIds.Select(id => feeds.GetValueOrDefault(id)).OfType<PlanFeed>().ToImmutableArray()
            : [];
        var routable = attached.Select(f => f.FeedId).ToHashSet(StringComparer.Ordinal);
        var joined = Floor.Joined(s).ToList();
        var ids = joined.Select(p => p.VenueId).ToHashSet(StringComparer.Ordinal);
        var uplink = live && s.UplinkConnected ? s.UplinkId : null;
        var legs = joined.Select(p => LegFor(p, s, ids, routable, uplink, joined)).ToImmutableArray();
        var recording = live && s.RecordingId is { } recordingId && Broadcast(s, routable, ids) is var source
            ? new PlanRecording(recordingId, true, source?.Kind == SourceKind.Venue ? source.Id : null, source?.Kind == SourceKind.Feed ? source.Id : null)
            : null;
        var up = live && s.UplinkId is { } uplinkId && (s.UplinkVenueId is { } asked && ids.Contains(asked) ? SourceRef.Venue(asked) : Broadcast(s, routable, ids)) is var sent
            ? new PlanUplink(uplinkId, false, sent?.Kind == SourceKind.Venue ? sent.Id : null, sent?.Kind == SourceKind.Feed ? sent.Id : null)
            {
                Roster = Roster(s, ids, names),
            }
            : null;
        return new ConferencePlan(sessionId, live, live ? legs : [], s.Version) { Feeds = attached, Recording = recording, Uplink = up };
    }

    /// <summary>What the session broadcasts, as a recording shows it: the broadcast feed or venue, else the chair, else the first joined venue.</summary>
    public static SourceRef? Broadcast(SessionState s, IReadOnlySet<string> feeds, IReadOnlySet<string> joined)
    {
        if (s.BroadcastFeedId is { } feed && feeds.Contains(feed))
        {
            return SourceRef.Feed(feed);
        }

        foreach (var venue in new[] { s.BroadcastVenueId, s.ChairVenueId })
        {
            if (venue is not null && joined.Contains(venue))
            {
                return SourceRef.Venue(venue);
            }
        }

        return Floor.Joined(s).FirstOrDefault() is { } first ? SourceRef.Venue(first.VenueId) : null;
    }

    /// <summary>The roster a relay session reports up its uplink, bounded as the link allows.</summary>
    public static ImmutableArray<RemoteVenue> Roster(SessionState s, IReadOnlySet<string> joined, IReadOnlyDictionary<string, string>? names) =>
    [
        .. s.Participants.Take(RemoteVenue.MaxVenues).Select(p => new RemoteVenue(
            p.VenueId,
            Truncate(names?.GetValueOrDefault(p.VenueId) ?? p.VenueId, RemoteVenue.MaxNameLength),
            p.Status.ToString().ToLowerInvariant(),
            p.VenueId == s.UplinkVenueId && joined.Contains(p.VenueId))),
    ];

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    private static PlanLeg LegFor(ParticipantState p, SessionState s, HashSet<string> joined, HashSet<string> feeds, string? uplink, List<ParticipantState> all)
    {
        SourceRef?[] preferences =
        [
            Of(SourceKind.Feed, p.ViewingFeedId), Of(SourceKind.Uplink, p.ViewingUplinkId), Of(SourceKind.Venue, p.ViewingVenueId),
            Of(SourceKind.Feed, s.BroadcastFeedId), Of(SourceKind.Uplink, s.BroadcastUplinkId), Of(SourceKind.Venue, s.BroadcastVenueId),
            Of(SourceKind.Venue, s.ChairVenueId),
        ];
        foreach (var candidate in preferences)
        {
            if (candidate is { Kind: SourceKind.Uplink } up && up.Id == uplink)
            {
                return new PlanLeg(p.VenueId, p.Muted, null) { VideoSourceUplinkId = up.Id, RemoteVenueId = p.RemoteVenueId };
            }

            if (candidate is { Kind: SourceKind.Feed } feed && feeds.Contains(feed.Id))
            {
                return new PlanLeg(p.VenueId, p.Muted, null) { VideoSourceFeedId = feed.Id, RemoteVenueId = p.RemoteVenueId };
            }

            if (candidate is { Kind: SourceKind.Venue } venue && venue.Id != p.VenueId && joined.Contains(venue.Id))
            {
                return new PlanLeg(p.VenueId, p.Muted, venue.Id) { RemoteVenueId = p.RemoteVenueId };
            }
        }

        return new PlanLeg(p.VenueId, p.Muted, all.FirstOrDefault(o => o.VenueId != p.VenueId)?.VenueId) { RemoteVenueId = p.RemoteVenueId };
    }

    private static SourceRef? Of(SourceKind kind, string? id) => id is null ? null : new SourceRef(kind, id);
}
