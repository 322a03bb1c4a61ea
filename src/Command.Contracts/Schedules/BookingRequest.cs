using System.Collections.Immutable;

namespace Command.Contracts.Schedules;

/// <summary>A meeting booked ahead, once or recurring; see <c>POST /api/schedules</c>.</summary>
[GenerateSerializer, Immutable, Alias("command.booking-request")]
public sealed record BookingRequest(
    [property: Id(0)] string Title,
    [property: Id(1)] string ChairVenueId,
    [property: Id(2)] ImmutableArray<string> VenueIds,
    [property: Id(3)] DateTimeOffset Start,
    [property: Id(4)] int DurationMinutes,
    [property: Id(5)] Recurrence Recurrence = Recurrence.None,
    [property: Id(6)] int Occurrences = 1,
    [property: Id(7)] int CheckInLeadMinutes = 15,
    [property: Id(8)] bool Public = false);
