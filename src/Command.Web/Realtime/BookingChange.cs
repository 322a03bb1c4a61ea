using Command.Contracts.Schedules;

namespace Command.Web.Realtime;

/// <summary>A booking changed: booked, cancelled, or its next occurrence opened.</summary>
public sealed record BookingChange(long Seq, BookingSnapshot Booking);
