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

    /// <summary>
    /// What a booking of <paramref name="request"/> would collide with, without booking it: each shared venue
    /// with each overlapping booking, and each venue already in a live session whose end is not before the slot.
    /// </summary>
    [AlwaysInterleave]
    Task<ImmutableArray<BookingConflict>> FindConflictsAsync(BookingRequest request);
}
