using Command.Contracts.Sessions;

namespace Command.Contracts.Venues;

/// <summary>
/// One venue (会场), keyed by venue id. It is the single authority on which session holds
/// the venue, which enforces "live in at most one session at a time". Its status comes from what
/// bridges report and keep re-asserting (registrations, connected legs), never from stored state.
/// </summary>
public interface IVenueGrain : IGrainWithStringKey
{
    /// <summary>The venue, or null when no topology defines it.</summary>
    [AlwaysInterleave]
    Task<VenueInfo?> GetAsync();

    Task DefineAsync(VenueDefinition definition);

    /// <summary>A bridge reports the venue's terminal registered (for a lease) or gone; the status follows.</summary>
    Task<VenueInfo> ReportRegistrationAsync(VenueRegistration registration);

    /// <summary>A bridge reports the venue's leg in a session; a connected leg in the session holding the venue makes it in-session.</summary>
    Task<VenueInfo> ReportLegAsync(VenueLeg leg);

    /// <summary>
    /// Gives the venue to a live session. A routine holder yields to an emergency session
    /// (the result names it); any other holder makes this a conflict.
    /// </summary>
    Task<VenueClaim> ClaimAsync(string sessionId, SessionKind kind, string title);

    /// <summary>Throws the conflict that <see cref="ClaimAsync"/> would, without claiming.</summary>
    Task EnsureClaimableAsync(string sessionId, SessionKind kind);

    Task ReleaseAsync(string sessionId);

    /// <summary>
    /// A session replaced this venue by a backup: once the venue's terminal is reachable again (it
    /// registers after being offline), the session is told, so the chair can decide; nothing is swapped back.
    /// </summary>
    Task WatchReturnAsync(string sessionId);
}
