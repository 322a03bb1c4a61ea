namespace Command.Contracts.Venues;

/// <summary>
/// A bridge's word on a venue's terminal: registered there (and answering its keep-alives) for the
/// next <see cref="Lease"/>, or gone. Bridges repeat it every keep-alive round; one not repeated lapses.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.venue-registration")]
public sealed record VenueRegistration(
    [property: Id(0)] string BridgeId,
    [property: Id(1)] bool Registered,
    [property: Id(2)] TimeSpan Lease);
