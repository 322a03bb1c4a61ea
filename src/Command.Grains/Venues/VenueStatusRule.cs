using Command.Contracts.Venues;

namespace Command.Grains.Venues;

/// <summary>
/// BRIEF §4 venue status, from live facts only: in-session with a connected leg in the session that
/// holds the venue, online with a registration that has not lapsed, offline otherwise. A claim alone
/// (a session holding the venue) is not a leg, and a stored status is not a fact.
/// </summary>
public static class VenueStatusRule
{
    public static VenueStatus Of(string? heldBy, IEnumerable<string> connectedSessions, bool registered) =>
        heldBy is not null && connectedSessions.Contains(heldBy, StringComparer.Ordinal) ? VenueStatus.InSession
        : registered ? VenueStatus.Online
        : VenueStatus.Offline;
}
