using System.Collections.Immutable;
using Command.Contracts.Media;
using Command.Contracts.Sessions;

namespace Command.Grains.Sessions;

/// <summary>
/// Turns floor state into what the bridge carries: every joined venue, heard unless muted, and
/// receiving the video of the venue it views. A venue with no explicit view sees the broadcast
/// venue, or the chair when nothing is broadcast; no venue is ever sent its own picture.
/// </summary>
internal static class MediaRoutes
{
    public static ConferencePlan Plan(string sessionId, SessionState s)
    {
        var joined = Floor.Joined(s).ToList();
        var ids = joined.Select(p => p.VenueId).ToHashSet(StringComparer.Ordinal);
        var legs = joined.Select(p => new PlanLeg(p.VenueId, p.Muted, SourceFor(p, s, ids, joined))).ToImmutableArray();
        return new ConferencePlan(sessionId, s.Phase == SessionPhase.Live, s.Phase == SessionPhase.Live ? legs : [], s.Version);
    }

    private static string? SourceFor(ParticipantState p, SessionState s, HashSet<string> joined, List<ParticipantState> all)
    {
        string?[] preferences = [p.ViewingVenueId, s.BroadcastVenueId, s.ChairVenueId];
        foreach (var candidate in preferences)
        {
            if (candidate is not null && candidate != p.VenueId && joined.Contains(candidate))
            {
                return candidate;
            }
        }

        return all.FirstOrDefault(o => o.VenueId != p.VenueId)?.VenueId;
    }
}
