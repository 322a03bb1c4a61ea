using System.Collections.Immutable;
using Command.Contracts.Media;
using Command.Contracts.Timeline;

namespace Command.Contracts.Sessions;

/// <summary>
/// A conference session with its floor control (会场控制). Every command either applies fully
/// and is persisted before it returns, or throws <see cref="CommandException"/> and changes nothing.
/// </summary>
public interface ISessionGrain : IGrainWithStringKey
{
    Task<SessionSnapshot> CreateAsync(CreateSessionCommand command, string actor);

    [AlwaysInterleave]
    Task<SessionSnapshot> GetAsync();

    [AlwaysInterleave]
    Task<ImmutableArray<TimelineEntry>> GetTimelineAsync();

    /// <summary>Whether this session currently holds the venue; asked by a venue checking a stale claim.</summary>
    [AlwaysInterleave]
    Task<bool> HoldsVenueAsync(string venueId);

    Task<SessionSnapshot> StartAsync(string actor);

    Task<SessionSnapshot> EndAsync(string actor, string? reason = null);

    Task<SessionSnapshot> AddVenueAsync(string venueId, string actor);

    Task<SessionSnapshot> RemoveVenueAsync(string venueId, string actor);

    Task<SessionSnapshot> BroadcastAsync(string venueId, string actor);

    Task<SessionSnapshot> ViewAsync(string venueId, string targetVenueId, string actor);

    /// <summary>Broadcasts an attached camera feed to every venue; polling stops, as for a venue broadcast.</summary>
    Task<SessionSnapshot> BroadcastFeedAsync(string feedId, string actor);

    /// <summary>The venue receives an attached camera feed's picture.</summary>
    Task<SessionSnapshot> ViewFeedAsync(string venueId, string targetFeedId, string actor);

    /// <summary>Broadcasts the upper session's picture, relayed on the session's uplink, to every venue; polling stops.</summary>
    Task<SessionSnapshot> BroadcastUplinkAsync(string uplinkId, string actor);

    /// <summary>The venue receives the upper session's picture, relayed on the session's uplink.</summary>
    Task<SessionSnapshot> ViewUplinkAsync(string venueId, string targetUplinkId, string actor);

    /// <summary>
    /// Binds a live relay session to the cascade uplink whose call it relays (级联转播). Binding it the first time
    /// broadcasts the upper picture to every venue; binding it again (the deployment above called once more)
    /// leaves the floor as the chair left it.
    /// </summary>
    Task<SessionSnapshot> RelayUplinkAsync(string uplinkId, string actor);

    /// <summary>
    /// Cascaded roll call (级联点名), asked by the session above over the link: what goes up the relay session's uplink
    /// is the joined venue <paramref name="venueId"/> instead of the session's broadcast, or the broadcast again when null.
    /// </summary>
    Task<SessionSnapshot> SendUpAsync(string uplinkId, string? venueId, string actor);

    /// <summary>
    /// Asks the deployment below, joined as the cascade venue <paramref name="venueId"/>, to send up its venue
    /// <paramref name="remoteVenueId"/> (级联点名), or its own broadcast again when null.
    /// </summary>
    Task<SessionSnapshot> CascadeRollCallAsync(string venueId, string? remoteVenueId, string actor);

    Task<SessionSnapshot> RollCallAsync(string venueId, string actor);

    /// <summary>Mutes or unmutes one venue, or every venue but the chair when <paramref name="venueId"/> is null.</summary>
    Task<SessionSnapshot> MuteAsync(string? venueId, bool muted, string actor);

    Task<SessionSnapshot> PollAsync(ImmutableArray<string> venueIds, int intervalSeconds, string actor);

    /// <summary>Polling through joined venues and attached feeds, in the order given.</summary>
    Task<SessionSnapshot> PollSourcesAsync(ImmutableArray<SourceRef> sources, int intervalSeconds, string actor);

    Task<SessionSnapshot> StopPollingAsync(string actor);

    Task<SessionSnapshot> LockAsync(bool locked, string actor);

    /// <summary>Decides a session's request to be public: approve, or refuse (withdraw, once approved). Conflict when none was made.</summary>
    Task<SessionSnapshot> PublishAsync(bool approved, string actor);

    Task<SessionSnapshot> AttachFeedAsync(string feedId, string actor);

    /// <summary>Detaches a feed; if it was on screen (broadcast, viewed or polled), the floor falls back as when a venue leaves.</summary>
    Task<SessionSnapshot> DetachFeedAsync(string feedId, string actor);

    Task<SessionSnapshot> ReplaceWithBackupAsync(string failedVenueId, string actor);

    /// <summary>Turns automatic backup on or off; <paramref name="afterSeconds"/> null keeps the current delay.</summary>
    Task<SessionSnapshot> SetAutoBackupAsync(bool enabled, int? afterSeconds, string actor);

    Task<SessionSnapshot> CheckInAsync(string venueId, string actor);

    /// <summary>An emergency session took one of this session's venues.</summary>
    Task PreemptVenueAsync(string venueId, string emergencySessionId, string emergencyTitle);

    /// <summary>The session's incident was closed and this session was kept running, for the reason given.</summary>
    Task<SessionSnapshot> KeepAfterIncidentClosedAsync(string incidentId, string actor, string reason);

    /// <summary>Escalation: adds the new commanding venue (past a lock) and hands it the chair.</summary>
    Task<SessionSnapshot> EscalateAsync(string commandVenueId, string actor, string reason);

    /// <summary>Turns recording on or off; while live, a new recording starts or the running one ends.</summary>
    Task<SessionSnapshot> SetRecordingAsync(bool on, string actor);

    /// <summary>The ids of the session's recordings, oldest first.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<string>> GetRecordingIdsAsync();

    /// <summary>What the bridge should carry for this session now, or null before it has gone live.</summary>
    [AlwaysInterleave]
    Task<ConferencePlan?> GetConferencePlanAsync();

    /// <summary>A venue this session replaced by a backup has a reachable terminal again; the chair is told, nothing is swapped.</summary>
    [OneWay]
    Task VenueReachableAsync(string venueId, DateTimeOffset at);

    /// <summary>The bridge's word that a venue's leg was connected, failed or dropped.</summary>
    Task ReportLegAsync(LegReport report);

    /// <summary>
    /// A deployment below, joined as <paramref name="venueId"/>, reported its venues over its call (级联名册); kept on that
    /// venue while it is joined and its leg is up. Invalid when the roster is out of bounds.
    /// </summary>
    Task ReportRemoteRosterAsync(string venueId, ImmutableArray<RemoteVenue> venues);

    /// <summary>The bridge's latest statistics for the session's legs.</summary>
    Task ReportMediaAsync(ImmutableArray<LegStats> legs);

    /// <summary>
    /// The registry moved the session's media to another bridge (null: none is live yet); recorded and
    /// told to browsers so they rejoin. One-way: the registry must not wait on a session that may be waiting on it.
    /// </summary>
    [OneWay]
    Task MovedToBridgeAsync(string? fromBridge, string? toBridge, string reason);
}
