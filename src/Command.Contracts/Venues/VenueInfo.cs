namespace Command.Contracts.Venues;

/// <summary>
/// A venue's public view: no credentials, with its live status; <see cref="Version"/> rises with every change.
/// <see cref="Bridge"/> names a bridge its terminal is registered at, when it is.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.venue")]
public sealed record VenueInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string RegionCode,
    [property: Id(3)] VenueKind Kind,
    [property: Id(4)] VenueStatus Status,
    [property: Id(5)] string SipUser,
    [property: Id(6)] string? SessionId,
    [property: Id(7)] long Version,
    [property: Id(8)] string? Bridge = null);
