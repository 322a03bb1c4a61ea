using Command.Contracts.Media;

namespace Command.Contracts.Venues;

/// <summary>
/// A bridge's word on a venue's leg (SIP or browser) in a session. A connected leg holds for
/// <see cref="Lease"/> and is repeated by its bridge while it lasts; any other state ends it.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.venue-leg")]
public sealed record VenueLeg(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string BridgeId,
    [property: Id(2)] LegState State,
    [property: Id(3)] TimeSpan Lease);
