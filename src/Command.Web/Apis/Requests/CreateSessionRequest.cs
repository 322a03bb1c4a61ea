using Command.Contracts.Sessions;

namespace Command.Web.Apis.Requests;

public sealed record CreateSessionRequest(
    string? Title,
    SessionKind? Kind,
    string? ChairVenueId,
    string[]? VenueIds,
    string? IncidentId,
    DateTimeOffset? ScheduledStart,
    bool? Public,
    DateTimeOffset? ScheduledEnd,
    int? CheckInLeadMinutes,
    AutoBackupRequest? AutoBackup = null,
    bool? Record = null);
