namespace Command.Contracts.Venues;

/// <summary>
/// A venue as the topology defines it, including its SIP credentials. <see cref="SipDigest"/> lists the
/// digest algorithms its terminal is offered ("SHA-256,MD5" when unset; "MD5" for older terminals).
/// </summary>
[GenerateSerializer, Immutable, Alias("command.venue-definition")]
public sealed record VenueDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string RegionCode,
    [property: Id(3)] VenueKind Kind,
    [property: Id(4)] string SipUser,
    [property: Id(5)] string SipPassword,
    [property: Id(6)] string? SipDigest = null);
