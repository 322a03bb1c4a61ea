using System.Collections.Immutable;

namespace Command.Contracts.Schedules;

/// <summary>
/// The meeting book. One activation, keyed <see cref="DefaultKey"/>, so that conflict
/// detection sees every booking.
/// </summary>
public interface IScheduleGrain : IGrainWithStringKey
{
    const string DefaultKey = "schedule";

    Task<BookingSnapshot> BookAsync(BookingRequest request, string actor);

    Task<BookingSnapshot> CancelAsync(string bookingId, string actor);

    [AlwaysInterleave]
    Task<BookingSnapshot> GetAsync(string bookingId);

    [AlwaysInterleave]
    Task<ImmutableArray<BookingSnapshot>> ListAsync();
}
