using Command.Contracts.Venues;

namespace Command.Web.Realtime;

/// <summary>A venue changed; <see cref="Seq"/> is its version, so a client drops anything not newer than what it holds.</summary>
public sealed record VenueChange(long Seq, VenueInfo Venue);
