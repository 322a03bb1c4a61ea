using Command.Contracts.Schedules;

namespace Command.Web.Apis.Requests;

public sealed record CreateBookingRequest(
    string? Title,
    string? ChairVenueId,
    string[]? VenueIds,
    DateTimeOffset? Start,
    int? DurationMinutes,
    Recurrence? Recurrence,
    int? Occurrences,
    int? CheckInLeadMinutes,
    bool? Public);
