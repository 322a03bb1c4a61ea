namespace Command.Contracts.Venues;

/// <summary>A venue as the topology defines it, including its SIP credentials.</summary>
[GenerateSerializer, Immutable, Alias("command.venue-definition")]
public sealed record VenueDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string RegionCode,
    [property: Id(3)] VenueKind Kind,
    [property: Id(4)] string SipUser,
    [property: Id(5)] string SipPassword);
