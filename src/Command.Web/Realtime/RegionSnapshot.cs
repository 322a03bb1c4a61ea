using Command.Contracts.Incidents;
using Command.Contracts.Regions;
using Command.Contracts.Schedules;
using Command.Contracts.Sessions;
using Command.Contracts.Venues;

namespace Command.Web.Realtime;

/// <summary>Everything a region subscriber sees before the changes start: the state to apply them to.</summary>
public sealed record RegionSnapshot(
    RegionNode Region,
    IReadOnlyList<VenueInfo> Venues,
    IReadOnlyList<SessionSnapshot> Sessions,
    IReadOnlyList<IncidentSnapshot> Incidents,
    IReadOnlyList<BookingSnapshot> Bookings);
