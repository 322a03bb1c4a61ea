namespace Command.Contracts.Venues;

/// <summary>The outcome of a granted claim: which session, if any, lost the venue to it.</summary>
[GenerateSerializer, Immutable, Alias("command.venue-claim")]
public sealed record VenueClaim(
    [property: Id(0)] string VenueId,
    [property: Id(1)] string? PreemptedSessionId);
