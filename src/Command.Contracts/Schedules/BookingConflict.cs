namespace Command.Contracts.Schedules;

/// <summary>
/// A venue that a proposed booking would share with a booking or a live session, and the slot where
/// they meet; <see cref="End"/> is null for a live session with no set end.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.booking-conflict")]
public sealed record BookingConflict(
    [property: Id(0)] string VenueId,
    [property: Id(1)] ConflictKind Kind,
    [property: Id(2)] string Id,
    [property: Id(3)] string Title,
    [property: Id(4)] DateTimeOffset Start,
    [property: Id(5)] DateTimeOffset? End);
